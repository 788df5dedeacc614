import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { AppError, PACING_PROFILE_FIELDS, SEND_ORIGINS, type PacingOverrides, type PacingProfile } from '@app/contracts';
import { SessionPacingRepository } from '@app/db';
import { effectivePacing } from '@app/redis';
import type { PacingSettingsDto, PacingViewDto } from './pacing.dto';

/** Only the fields a caller set: validation leaves unset ones undefined, and they must not be stored. */
function settingsOf(body: PacingSettingsDto): PacingOverrides {
  const overrides: PacingOverrides = {};
  for (const origin of SEND_ORIGINS) {
    const given = body[origin];
    if (!given) continue;
    const fields: Partial<PacingProfile> = {};
    for (const field of PACING_PROFILE_FIELDS) if (given[field] !== undefined) fields[field] = given[field];
    overrides[origin] = fields;
  }
  return overrides;
}

/** Per-session send pacing (seed 001's anti-spam queue, seed 003's token bucket) over the configured defaults. */
@Injectable()
export class PacingService {
  constructor(
    private readonly pacing: SessionPacingRepository,
    private readonly config: GatewayConfig,
  ) {}

  async get(sessionId: string): Promise<PacingViewDto> {
    const overrides = await this.pacing.find(sessionId);
    if (!overrides) throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    return this.view(sessionId, overrides);
  }

  async replace(sessionId: string, body: PacingSettingsDto): Promise<PacingViewDto> {
    const overrides = settingsOf(body);
    await this.pacing.replace(sessionId, overrides);
    return this.view(sessionId, overrides);
  }

  private view(sessionId: string, overrides: PacingOverrides): PacingViewDto {
    return { sessionId, ...effectivePacing(this.config, overrides), overrides };
  }
}
