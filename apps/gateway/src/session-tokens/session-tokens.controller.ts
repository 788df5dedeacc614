import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SessionScoped } from '../credentials/auth.decorators';
import { CreatedSessionTokenDto, CreateSessionTokenDto, SessionTokenDto } from './session-token.dto';
import { SessionTokensService } from './session-tokens.service';

/** Tokens bound to one session, for the systems that send through it (seeds 000, 003). */
@ApiTags('session-tokens')
@SessionScoped('id')
@Controller('sessions/:id/tokens')
export class SessionTokensController {
  constructor(private readonly tokens: SessionTokensService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a session token',
    description: 'A Bearer token that may send and run the agent on this session only. It is in this response only; it is stored as a hash.',
  })
  @ApiCreatedResponse({ type: CreatedSessionTokenDto })
  async create(@Param('id') sessionId: string, @Body() body: CreateSessionTokenDto): Promise<CreatedSessionTokenDto> {
    const { record, secret } = await this.tokens.issue({ ownerId: sessionId, name: body.name });
    return { ...SessionTokenDto.from(record), token: secret };
  }

  @Get()
  @ApiOperation({ summary: "List the session's tokens (prefix and metadata, never the token)" })
  @ApiOkResponse({ type: SessionTokenDto, isArray: true })
  async list(@Param('id') sessionId: string): Promise<SessionTokenDto[]> {
    return (await this.tokens.list(sessionId)).map(SessionTokenDto.from);
  }

  @Delete(':tokenId')
  @ApiOperation({ summary: 'Revoke a session token', description: 'Takes effect on the next request; revoking twice is harmless.' })
  @ApiOkResponse({ type: SessionTokenDto })
  async revoke(@Param('id') sessionId: string, @Param('tokenId') tokenId: string): Promise<SessionTokenDto> {
    return SessionTokenDto.from(await this.tokens.revoke(sessionId, tokenId));
  }
}
