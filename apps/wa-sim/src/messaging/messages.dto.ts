import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { InboundMediaDto } from '../media/media.dto';
import type { ReceiptType } from './message-log.service';

const PHONE = /^\d{6,15}$/;

export class InboundTextDto {
  @ApiProperty({ example: '6289876543210', description: 'Sending phone (a contact or another account); created if unknown' })
  @Matches(PHONE, { message: 'from must be 6-15 digits' })
  from!: string;

  @ApiProperty({ example: '6281234567890', description: 'Receiving account; all its companions get the message' })
  @Matches(PHONE, { message: 'to must be 6-15 digits' })
  to!: string;

  @ApiPropertyOptional({ example: 'Halo!', description: 'Required unless `media` is given (then not allowed: use media.caption)' })
  @ValidateIf((body: InboundTextDto) => body.media === undefined || body.text !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(65_536)
  text?: string;

  @ApiPropertyOptional({ type: InboundMediaDto, description: 'Send a file instead of a text (encrypted, stored on the media host)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => InboundMediaDto)
  media?: InboundMediaDto;

  @ApiPropertyOptional({ description: 'Id of the message this one replies to' })
  @IsOptional()
  @IsString()
  quotedMessageId?: string;

  @ApiPropertyOptional({ type: [String], example: ['6281234567890'], description: 'Mentioned numbers or JIDs' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  mentions?: string[];
}

const RECEIPT_TYPES: ReceiptType[] = ['delivery', 'read'];

export class EmitReceiptDto {
  @ApiProperty({ enum: RECEIPT_TYPES })
  @IsIn(RECEIPT_TYPES)
  type!: ReceiptType;
}

export class SentMessagesQuery {
  @ApiPropertyOptional({ description: 'Sending account phone number' })
  @IsOptional()
  @Matches(PHONE)
  account?: string;

  @ApiPropertyOptional({ description: 'Recipient phone number or the JID the stanza was addressed to' })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  messageId?: string;
}

export class SentWaitQuery extends SentMessagesQuery {
  @ApiProperty({ example: 100, description: 'Answer once at least this many records match (those already logged count)' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  count!: number;

  @ApiPropertyOptional({ example: 30_000, description: 'Answer anyway after this long (ms), with `reached: false`' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120_000)
  timeoutMs?: number;
}

export class InboundMessagesQuery {
  @ApiPropertyOptional({ description: 'Receiving account phone number' })
  @IsOptional()
  @Matches(PHONE)
  account?: string;
}

export class DeliveryResultView {
  @ApiProperty() messageId!: string;
  @ApiProperty({ example: { 1: 'sent', 2: 'queued' }, description: 'Per companion device id: sent now or queued' })
  devices!: Record<number, string>;
}
