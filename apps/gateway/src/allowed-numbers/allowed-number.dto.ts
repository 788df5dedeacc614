import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SESSION_ID_PATTERN } from '@app/contracts';
import type { AllowedNumberRecord, AllowedNumberStatus } from '@app/db';

const STATUSES: AllowedNumberStatus[] = ['active', 'inactive'];

export class ListAllowedNumbersQueryDto {
  @ApiPropertyOptional({ example: '6281234567890', description: 'Only this device number (seed 002 `whatsapp_number`)' })
  @IsOptional()
  @IsString()
  @Length(5, 64)
  whatsappNumber?: string;
}

/** Seed 002 `POST /allowed-numbers` (`whatsapp_number`, `status`, `session_id`). */
export class CreateAllowedNumberDto {
  @ApiProperty({ example: '6281234567890', description: "A device's own number (the linked WhatsApp account), any accepted phone format" })
  @IsString()
  @Length(5, 64)
  whatsappNumber!: string;

  @ApiPropertyOptional({ enum: STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(STATUSES)
  status?: AllowedNumberStatus;

  @ApiPropertyOptional({ example: 'support-bot', description: 'Admins: the session to note on the row (default: the session linked to the number)' })
  @IsOptional()
  @Matches(SESSION_ID_PATTERN)
  sessionId?: string;
}

/** Seed 002 `PUT /allowed-numbers/:id/status`, as a partial update. */
export class UpdateAllowedNumberDto {
  @ApiPropertyOptional({ enum: STATUSES, example: 'inactive', description: 'inactive stops storing history; nothing stored is removed' })
  @IsOptional()
  @IsIn(STATUSES)
  status?: AllowedNumberStatus;
}

export class AllowedNumberDto {
  @ApiProperty({ example: '5b1e7c9a-0d2f-4e6a-8b3c-7d9e1f2a4b6c' })
  id!: string;

  @ApiProperty({ example: '6281234567890' })
  whatsappNumber!: string;

  @ApiProperty({ example: 'support-bot', nullable: true, type: String })
  sessionId!: string | null;

  @ApiProperty({ enum: STATUSES, example: 'active' })
  status!: AllowedNumberStatus;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  updatedAt!: string;

  static from(record: AllowedNumberRecord): AllowedNumberDto {
    return { ...record, createdAt: record.createdAt.toISOString(), updatedAt: record.updatedAt.toISOString() };
  }
}

export class AllowedNumberDeletedDto {
  @ApiProperty({ example: true })
  deleted!: boolean;
}
