import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, registerDecorator, ValidateNested, type ValidationArguments } from 'class-validator';
import type { PacingOverrides, PacingProfile } from '@app/contracts';

const HOUR_MS = 3_600_000;

/** `delayMaxMs` given together with `delayMinMs` must not be below it. */
function NotBelowDelayMin(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notBelowDelayMin',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'delayMaxMs must not be below delayMinMs' },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const min = (args.object as { delayMinMs?: number }).delayMinMs;
          return typeof value !== 'number' || typeof min !== 'number' || value >= min;
        },
      },
    });
}

/** A session's own settings for one origin; an absent field takes the configured value, 0 turns a limit off. */
export class PacingProfileSettingsDto implements Partial<PacingProfile> {
  @ApiPropertyOptional({ example: 100, description: 'Token bucket refill per minute (0 = no bucket)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  ratePerMinute?: number;

  @ApiPropertyOptional({ example: 100, description: 'Token bucket size' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  burst?: number;

  @ApiPropertyOptional({ example: 3000, description: 'Random pause after the previous send, lower bound (ms)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(HOUR_MS)
  delayMinMs?: number;

  @ApiPropertyOptional({ example: 7000, description: 'Random pause after the previous send, upper bound (ms; 0 with 0 = no pause)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(HOUR_MS)
  @NotBelowDelayMin()
  delayMaxMs?: number;

  @ApiPropertyOptional({ example: 20, description: 'Sends in any 60 s window (0 = no cap)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  maxPerMinute?: number;

  @ApiPropertyOptional({ example: 500, description: 'Sends in any hour (0 = no cap)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  maxPerHour?: number;

  @ApiPropertyOptional({ example: 10, description: 'Sends to one recipient in any hour (0 = no cap)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  maxPerRecipientPerHour?: number;

  @ApiPropertyOptional({ example: 3, description: 'Attempts per message, the first included' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts?: number;
}

/** `PUT /sessions/{id}/pacing`: replaces the session's own settings; `{}` returns it to the configuration. */
export class PacingSettingsDto implements PacingOverrides {
  @ApiPropertyOptional({
    type: PacingProfileSettingsDto,
    description: "Single sends: send routes, the AI agent's replies and alerts (configured: SEND_*, seed 003's token bucket)",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PacingProfileSettingsDto)
  single?: PacingProfileSettingsDto;

  @ApiPropertyOptional({
    type: PacingProfileSettingsDto,
    description: "Bulk job items and scheduled messages (configured: BULK_SEND_*, seed 001's anti-spam queue)",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PacingProfileSettingsDto)
  bulk?: PacingProfileSettingsDto;
}

export class PacingProfileDto implements PacingProfile {
  @ApiProperty({ example: 0 }) ratePerMinute!: number;
  @ApiProperty({ example: 1 }) burst!: number;
  @ApiProperty({ example: 3000 }) delayMinMs!: number;
  @ApiProperty({ example: 7000 }) delayMaxMs!: number;
  @ApiProperty({ example: 20 }) maxPerMinute!: number;
  @ApiProperty({ example: 500 }) maxPerHour!: number;
  @ApiProperty({ example: 10 }) maxPerRecipientPerHour!: number;
  @ApiProperty({ example: 3 }) maxAttempts!: number;
}

export class PacingViewDto {
  @ApiProperty({ example: 'support-bot' })
  sessionId!: string;

  @ApiProperty({ type: PacingProfileDto, description: 'What single sends of the session get now' })
  single!: PacingProfileDto;

  @ApiProperty({ type: PacingProfileDto, description: 'What bulk job items and scheduled messages of the session get now' })
  bulk!: PacingProfileDto;

  @ApiProperty({ type: PacingSettingsDto, description: "The session's own settings (the rest is configured)" })
  overrides!: PacingSettingsDto;
}
