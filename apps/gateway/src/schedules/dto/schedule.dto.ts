import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '@app/contracts';
import { SCHEDULE_STATUSES, type ScheduleStatus } from '@app/db';
import { PageLimit, PageOffset } from '../../http/pagination.decorators';
import { MessageFieldsDto } from '../../jobs/dto/message-fields.dto';
import { DEFAULT_SCHEDULE_TIMEZONE } from '../schedule-time';

/** Seed 002 `schedule-message`, persisted: a text or media message sent at a time in a time zone. */
export class CreateScheduleDto extends MessageFieldsDto {
  @ApiProperty({
    example: '2026-01-01 12:00:00',
    description:
      '`YYYY-MM-DD HH:mm:ss` in `timezone` (seed 002), or ISO 8601 (`2026-01-01T12:00:00+07:00`; without offset it is in `timezone`). ' +
      'Must be in the future. A time skipped by a DST change moves forward by the change; one that occurs twice means the first.',
  })
  @IsString()
  @Length(16, 40)
  scheduleTime!: string;

  @ApiPropertyOptional({ example: DEFAULT_SCHEDULE_TIMEZONE, default: DEFAULT_SCHEDULE_TIMEZONE, description: 'IANA time zone name' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timezone?: string;
}

export class ListSchedulesQueryDto {
  @ApiPropertyOptional({ enum: SCHEDULE_STATUSES, example: 'pending' })
  @IsOptional()
  @IsIn(SCHEDULE_STATUSES)
  status?: ScheduleStatus;

  @PageLimit({ default: 50, maximum: 200 })
  limit?: number;

  @PageOffset()
  offset?: number;
}

export class ScheduledMessageStateDto {
  @ApiProperty({ description: 'Id of the message in this API (GET /sessions/{id}/messages/{messageId})' }) id!: string;
  @ApiProperty({ example: '3EB0A1B2C3D4E5F6A7B8C9' }) waMessageId!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
}

export class ScheduleDto {
  @ApiProperty({ example: '5d1f2a9c-7b1e-4c8e-8f7a-0e6b2c3d4a5b' }) id!: string;
  @ApiProperty({ example: 'agent-1' }) sessionId!: string;
  @ApiProperty({ example: '6281234567890@s.whatsapp.net' }) to!: string;
  @ApiProperty({ enum: ['text', 'image', 'video', 'audio', 'document'] }) kind!: string;
  @ApiPropertyOptional({ description: 'Text of a text message' }) message?: string;
  @ApiPropertyOptional() caption?: string;
  @ApiPropertyOptional() fileName?: string;
  @ApiProperty({ example: '2026-01-01 12:00:00', description: 'Send time as wall-clock time in `timezone`' }) scheduleTime!: string;
  @ApiProperty({ example: 'Asia/Jakarta' }) timezone!: string;
  @ApiProperty({ example: '2026-01-01T05:00:00.000Z', description: 'Send time as an instant (UTC)' }) sendAt!: string;
  @ApiProperty({ enum: SCHEDULE_STATUSES, description: 'pending until the message is sent or failed' }) status!: ScheduleStatus;
  @ApiPropertyOptional({ nullable: true, type: String }) error!: string | null;
  @ApiPropertyOptional({ type: ScheduledMessageStateDto, nullable: true, description: 'The message, once the schedule fell due' })
  sentMessage!: ScheduledMessageStateDto | null;
  @ApiProperty() createdAt!: string;
}
