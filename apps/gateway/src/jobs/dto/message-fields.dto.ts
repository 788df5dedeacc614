import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { MEDIA_KINDS, type MediaKind } from '@app/contracts';
import { RecipientDto } from '../../messages/dto/send-message.dto';

/**
 * One message of a bulk job or schedule, in seed 002's shapes: text `{to, message}` or media
 * `{to, mediaType, url|base64, caption?, fileName?, mimetype?}`. Media are fetched/decoded and
 * stored when the job or schedule is accepted, so what runs later does not depend on the source.
 */
export class MessageFieldsDto extends RecipientDto {
  @ApiPropertyOptional({ example: 'Halo', maxLength: 4096, description: 'Text of a text message (not with media)' })
  @IsOptional()
  @IsString()
  @Length(1, 4096)
  message?: string;

  @ApiPropertyOptional({ type: [String], example: ['6281234567890'], description: 'Numbers or JIDs to mention' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  mentions?: string[];

  @ApiPropertyOptional({ enum: MEDIA_KINDS, example: 'image', description: 'Kind of media; derived from the mime type when absent' })
  @IsOptional()
  @IsIn(MEDIA_KINDS)
  mediaType?: MediaKind;

  @ApiPropertyOptional({ example: 'https://example.com/promo.jpg', description: 'Public http(s) URL of the media' })
  @IsOptional()
  @IsString()
  @Length(8, 2048)
  url?: string;

  @ApiPropertyOptional({ description: 'Base64 of the media (a data: URL works too)' })
  @IsOptional()
  @IsString()
  base64?: string;

  @ApiPropertyOptional({ example: 'Promo bulan ini', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @Length(0, 1024)
  caption?: string;

  @ApiPropertyOptional({ example: 'brosur.pdf', description: 'File name shown to the recipient' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  fileName?: string;

  @ApiPropertyOptional({ example: 'application/pdf', description: 'Mime type of the media when the source does not say' })
  @IsOptional()
  @IsString()
  @Length(3, 127)
  mimetype?: string;
}
