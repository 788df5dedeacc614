import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { DELIVERY_STATUSES, MEDIA_KINDS, type DeliveryStatus, type MediaKind } from '@app/contracts';
import { plainMessageId } from '@app/sending';
import { toBoolean } from '../../http/text-boolean.transform';

/** Multipart fields arrive as strings. */
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

/** Whom a message goes to, in every way of sending: right away, as a bulk job item, or scheduled. */
export class RecipientDto {
  @ApiProperty({ example: '6281234567890', description: 'Number (+62…, 62…, 0…) or JID (…@s.whatsapp.net, …@g.us)' })
  @IsString()
  @Length(3, 100)
  to!: string;
}

class RecipientFields extends RecipientDto {
  @ApiPropertyOptional({ description: "WhatsApp id of the message to reply to (seed 003's whatsapp-web.js names `true_<chat>@c.us_<id>` work too)" })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? plainMessageId(value) : value))
  @IsString()
  @Length(1, 128)
  quotedMessageId?: string;

  @ApiPropertyOptional({ type: [String], example: ['6281234567890'], description: 'Numbers or JIDs to mention' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  mentions?: string[];
}

/** Seed 003 `POST /agents/{id}/messages`. */
export class SendTextDto extends RecipientFields {
  @ApiProperty({ example: 'Halo dari API', maxLength: 4096 })
  @IsString()
  @Length(1, 4096)
  message!: string;
}

/** Seed 003 `POST /agents/{id}/media` (JSON) and seed 002 send-media (JSON or multipart with `file`). */
export class SendMediaDto extends RecipientFields {
  @ApiPropertyOptional({ description: 'Base64 of the media (seed 003); a data: URL works too' })
  @IsOptional()
  @IsString()
  data?: string;

  @ApiPropertyOptional({ description: 'Base64 of the media (seed 002 name)' })
  @IsOptional()
  @IsString()
  base64?: string;

  @ApiPropertyOptional({ example: 'https://example.com/invoice.pdf', description: 'Public http(s) URL to fetch the media from' })
  @IsOptional()
  @IsString()
  @Length(8, 2048)
  url?: string;

  @ApiPropertyOptional({ enum: MEDIA_KINDS, description: 'Derived from the mime type when absent' })
  @IsOptional()
  @IsIn(MEDIA_KINDS)
  mediaType?: MediaKind;

  @ApiPropertyOptional({ example: 'Invoice #123', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @Length(0, 1024)
  caption?: string;

  @ApiPropertyOptional({ example: 'invoice.pdf', description: 'File name shown to the recipient (seed 003 `filename`)' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  filename?: string;

  @ApiPropertyOptional({ example: 'invoice.pdf', description: 'Seed 002 spelling of `filename`' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  fileName?: string;

  @ApiPropertyOptional({ example: 'application/pdf', description: 'Seed 003 `mimeType`' })
  @IsOptional()
  @IsString()
  @Length(3, 127)
  mimeType?: string;

  @ApiPropertyOptional({ example: 'application/pdf', description: 'Seed 002 spelling of `mimeType`' })
  @IsOptional()
  @IsString()
  @Length(3, 127)
  mimetype?: string;

  @ApiPropertyOptional({ default: true, description: 'Write a preview file under TEMP_DIR (seed 003)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  save_to_temp?: boolean;
}

export class BulkTextItemDto extends SendTextDto {}

/** Seed 002 bulk send, answered when every message is settled. */
export class BulkTextDto {
  @ApiProperty({ type: [BulkTextItemDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BulkTextItemDto)
  messages!: BulkTextItemDto[];

  @ApiPropertyOptional({ example: 3, description: 'Seconds between messages (seed 002); default a random 2-5 s' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  delay?: number;
}

export class SendResultDto {
  @ApiProperty({
    description:
      "Seed 003's flag: the message is accepted for delivery and will go out (true unless it failed or was cancelled). `status` says where it is; the HTTP status is 201 once handed to WhatsApp, 202 while still queued.",
  })
  delivered!: boolean;

  @ApiProperty({ description: 'Id of the accepted message in this API' })
  messageId!: string;

  @ApiProperty({ example: '3EB0A1B2C3D4E5F6A7B8C9', description: 'WhatsApp message id (use it as quotedMessageId)' })
  waMessageId!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;

  @ApiPropertyOptional({ type: String, nullable: true })
  error?: string | null;

  @ApiPropertyOptional({ description: 'Preview file written under TEMP_DIR (media)' })
  previewPath?: string;
}

export class QueueStatusDto {
  @ApiProperty({ description: 'Accepted, waiting to be sent' }) pending!: number;
  @ApiProperty({ description: 'Being sent right now' }) processing!: number;
  @ApiProperty({ description: 'Sent (incl. delivered and read)' }) completed!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() cancelled!: number;
  @ApiProperty() isProcessing!: boolean;
}

export class QueueClearedDto {
  @ApiProperty({ description: 'Messages cancelled before they were sent' })
  cleared!: number;
}
