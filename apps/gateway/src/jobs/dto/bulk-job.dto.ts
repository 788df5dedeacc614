import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { BULK_JOB_STATUSES, type BulkJobStatus } from '@app/db';
import { PageLimit, PageOffset } from '../../http/pagination.decorators';
import { Stacked } from '../../http/stacked.decorator';
import { MessageFieldsDto } from './message-fields.dto';

/** Most items one job may hold (the job is one row; larger sends are split into several jobs). */
const BULK_JOB_MAX_ITEMS = 1_000;

export class BulkJobItemDto extends MessageFieldsDto {}

/** The job's messages: `items`, or `messages` as seed 002 calls them; the same list either way. */
const JobItems = (docs: Pick<ApiPropertyOptions, 'description' | 'example'>): PropertyDecorator =>
  Stacked(
    ApiPropertyOptional({ type: [BulkJobItemDto], minItems: 1, maxItems: BULK_JOB_MAX_ITEMS, ...docs }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(BULK_JOB_MAX_ITEMS),
    ValidateNested({ each: true }),
    Type(() => BulkJobItemDto),
  );

/** Seed 002 `jobs/send-text` (`messages`) and `jobs/send-media` (`items`) in one body. */
export class CreateBulkJobDto {
  @JobItems({
    description: 'The messages, sent in this order; text and media may be mixed. Give `items` or `messages`.',
    example: [
      { to: '6281234567890', message: 'Halo 1' },
      { to: '6281234567891', mediaType: 'image', url: 'https://example.com/promo.jpg', caption: 'Promo' },
    ],
  })
  items?: BulkJobItemDto[];

  @JobItems({ description: 'Seed 002 name of `items` (bulk text)' })
  messages?: BulkJobItemDto[];

  @ApiPropertyOptional({
    example: 3,
    minimum: 0,
    maximum: 3600,
    description: 'Seconds between two messages (decimals allowed, 0 = none); default a random 2-5 s each time (seed 002)',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(3600)
  delay?: number;
}

export class ListBulkJobsQueryDto {
  @ApiPropertyOptional({ enum: BULK_JOB_STATUSES })
  @IsOptional()
  @IsIn(BULK_JOB_STATUSES)
  status?: BulkJobStatus;

  @PageLimit({ default: 20, maximum: 100 })
  limit?: number;

  @PageOffset()
  offset?: number;
}

/** The job's messages in the outbox by delivery status (items not reached yet are in none). */
export class BulkJobMessageCountsDto {
  @ApiProperty({ description: 'Accepted, waiting to be sent' }) queued!: number;
  @ApiProperty({ description: 'Being sent right now' }) sending!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty() read!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ description: 'Stopped by a cancel before they were sent' }) cancelled!: number;
}

export class BulkJobDto {
  @ApiProperty({ example: '0b7c9a8e-3f51-4f0e-9a41-2d0a4c1b5e77' }) id!: string;
  @ApiProperty({ example: 'agent-1' }) sessionId!: string;
  @ApiProperty({ enum: BULK_JOB_STATUSES, description: 'queued → processing → completed / failed / cancelled' }) status!: BulkJobStatus;
  @ApiProperty({ enum: ['text', 'media', 'mixed'] }) kind!: string;
  @ApiProperty({ example: 200 }) total!: number;
  @ApiProperty({ example: 57, description: 'Items done (sent or failed); the index of the next item' }) currentIndex!: number;
  @ApiProperty({ example: 56, description: 'Items handed to WhatsApp (sent, delivered or read)' }) successCount!: number;
  @ApiProperty({ example: 1, description: 'Items that failed' }) errorCount!: number;
  @ApiProperty({ nullable: true, type: Number, example: 3, description: 'Seconds between messages; null = a random 2-5 s' }) delay!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the job failed' }) error!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiPropertyOptional({ type: BulkJobMessageCountsDto, description: 'Single job views only' }) messages?: BulkJobMessageCountsDto;
}
