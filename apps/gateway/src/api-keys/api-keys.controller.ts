import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserScoped } from '../credentials/auth.decorators';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-key.dto';
import { ApiKeysService } from './api-keys.service';

/** A user's own API keys; admins manage anyone's. */
@ApiTags('api-keys')
@UserScoped('id')
@Controller('users/:id/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key', description: 'The key is in this response only; it is stored as a hash.' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(@Param('id') userId: string, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    const { record, secret } = await this.apiKeys.issue({ ownerId: userId, name: body.name, expiresAt });
    return { ...ApiKeyDto.from(record), key: secret };
  }

  @Get()
  @ApiOperation({ summary: "List a user's API keys (prefix and metadata, never the key)" })
  @ApiOkResponse({ type: ApiKeyDto, isArray: true })
  async list(@Param('id') userId: string): Promise<ApiKeyDto[]> {
    return (await this.apiKeys.list(userId)).map(ApiKeyDto.from);
  }

  @Delete(':keyId')
  @ApiOperation({ summary: 'Revoke an API key', description: 'Takes effect on the next request; revoking twice is harmless.' })
  @ApiOkResponse({ type: ApiKeyDto })
  async revoke(@Param('id') userId: string, @Param('keyId') keyId: string): Promise<ApiKeyDto> {
    return ApiKeyDto.from(await this.apiKeys.revoke(userId, keyId));
  }
}
