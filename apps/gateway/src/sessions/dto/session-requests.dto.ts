import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { SESSION_STATUSES, type SessionStatus } from '@app/contracts';

export class ListSessionsQueryDto {
  @ApiPropertyOptional({ description: 'Only sessions created for this seed 003 `userId` (among the ones you may see)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  userId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only sessions owned by this gateway user (admins; others always see only their own)' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ enum: SESSION_STATUSES, example: 'connected' })
  @IsOptional()
  @IsIn(SESSION_STATUSES)
  status?: SessionStatus;
}

const QR_FORMATS = ['raw', 'png', 'svg'] as const;
export type QrFormat = (typeof QR_FORMATS)[number];

export class QrQueryDto {
  @ApiPropertyOptional({ enum: QR_FORMATS, default: 'png', description: 'raw string, PNG (data URL in JSON, or the image with Accept: image/png) or SVG' })
  @IsOptional()
  @IsIn(QR_FORMATS)
  format?: QrFormat;

  @ApiPropertyOptional({ default: 10, minimum: 0, maximum: 60, description: 'Seconds to wait for a QR when none is available yet' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  wait?: number;
}

export class PairingCodeRequestDto {
  @ApiProperty({ example: '6281234567890', description: 'Phone number of the account to link, with country code' })
  @IsString()
  @Length(5, 32)
  phone!: string;
}

export class PairingCodeDto {
  @ApiProperty({ example: 'ABCD1234', description: 'Enter it on the phone under Linked devices' })
  code!: string;
}

export class CheckPhoneRequestDto {
  @ApiProperty({ example: '+6281234567890' })
  @IsString()
  @Length(5, 32)
  phoneNumber!: string;
}

export class CheckPhoneResultDto {
  @ApiProperty()
  hasActiveSession!: boolean;

  @ApiPropertyOptional({ description: 'The session holding the phone, when it is one of yours' })
  sessionId?: string;
}

export class CleanupRequestDto {
  @ApiProperty({ example: 24, description: 'Remove sessions that have not been connected for this many hours' })
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  hours!: number;
}

export class CleanupResultDto {
  @ApiProperty({ type: [String] })
  removed!: string[];
}
