import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PACING_SETTINGS_REFRESH_MS } from '@app/redis';
import { SessionScoped } from '../credentials/auth.decorators';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { PacingSettingsDto, PacingViewDto } from './pacing.dto';
import { PacingService } from './pacing.service';

const APPLIES = `Each message is paced by the profile of its origin; a change applies to sends from ${PACING_SETTINGS_REFRESH_MS / 1000} s later at the latest.`;

@ApiTags('sending')
@ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_FOUND' })
@Controller('sessions/:id/pacing')
@SessionScoped()
export class PacingController {
  constructor(private readonly pacing: PacingService) {}

  @Get()
  @ApiOperation({ summary: "The session's send pacing: what single and bulk sends get now, and its own settings", description: APPLIES })
  @ApiOkResponse({ type: PacingViewDto })
  get(@Param('id') sessionId: string): Promise<PacingViewDto> {
    return this.pacing.get(sessionId);
  }

  @Put()
  @ApiOperation({
    summary: "Set the session's own send pacing (seed 001 anti-spam queue, seed 003 token bucket)",
    description: `Replaces the session's settings: a field left out takes the configured value (SEND_* for single sends, BULK_SEND_* for bulk job items and schedules); \`{}\` returns to the configuration. ${APPLIES}`,
  })
  @ApiOkResponse({ type: PacingViewDto })
  replace(@Param('id') sessionId: string, @Body() body: PacingSettingsDto): Promise<PacingViewDto> {
    return this.pacing.replace(sessionId, body);
  }
}
