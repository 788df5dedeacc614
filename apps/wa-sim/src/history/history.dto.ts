import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

const PHONE = /^\d{6,15}$/;
/** A contact's number, or a group's JID. */
const CHAT = /^(\d{6,15}|\d{5,30}(-\d{5,15})?@g\.us)$/;

export class PastMessageDto {
  @ApiProperty({ example: 'Sampai jumpa besok' })
  @IsString()
  @MinLength(1)
  @MaxLength(65_536)
  text!: string;

  @ApiPropertyOptional({ default: false, description: 'Written by this phone' })
  @IsOptional()
  @IsBoolean()
  fromMe?: boolean;

  @ApiPropertyOptional({ example: '6289876543210', description: 'Group chats: the member who wrote it (when not fromMe)' })
  @IsOptional()
  @Matches(PHONE, { message: 'from must be 6-15 digits' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-20T09:00:00.000Z', description: 'When it was sent; default: a minute apart, ending a minute ago' })
  @IsOptional()
  @IsISO8601()
  at?: string;
}

/** `POST /accounts/{pn}/history`: messages the phone had before any companion linked. */
export class SeedHistoryDto {
  @ApiProperty({ example: '6289876543210', description: "The chat: a contact's number or a group JID" })
  @Matches(CHAT, { message: 'chat must be a number (6-15 digits) or a group JID' })
  chat!: string;

  @ApiProperty({ type: [PastMessageDto], description: 'Oldest first' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1_000)
  @ValidateNested({ each: true })
  @Type(() => PastMessageDto)
  messages!: PastMessageDto[];
}

export class SeededHistoryView {
  @ApiProperty({ example: '6289876543210@s.whatsapp.net' }) chat!: string;
  @ApiProperty({ type: [String], description: 'Ids of the messages added, oldest first' }) messageIds!: string[];
}

export class HistoryEntryView {
  @ApiProperty() id!: string;
  @ApiProperty() chat!: string;
  @ApiProperty() fromMe!: boolean;
  @ApiPropertyOptional() participant?: string;
  @ApiPropertyOptional({ description: 'The text, or a media caption' }) text?: string;
  @ApiProperty({ description: 'Unix seconds' }) timestamp!: number;
}

/** `POST /accounts/{pn}/messages`: the phone's owner types a message to a contact. */
export class PhoneTextDto {
  @ApiProperty({ example: '6289876543210', description: "The contact's number" })
  @Matches(PHONE, { message: 'to must be 6-15 digits' })
  to!: string;

  @ApiProperty({ example: 'Sudah saya kirim ya' })
  @IsString()
  @MinLength(1)
  @MaxLength(65_536)
  text!: string;
}
