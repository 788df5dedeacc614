import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBase64, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MEDIA_KINDS, type MediaKind } from './media.crypto';

/** The `media` of `POST /messages/inbound`: a phone sends a file instead of a text. */
export class InboundMediaDto {
  @ApiProperty({ enum: MEDIA_KINDS })
  @IsIn(MEDIA_KINDS)
  kind!: MediaKind;

  @ApiProperty({ description: 'The plaintext bytes, base64 (the JSON body may be up to 64 MB)' })
  @IsBase64()
  @MinLength(1)
  data!: string;

  @ApiPropertyOptional({ example: 'image/jpeg', description: "Default: Baileys' default for the kind" })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  mimetype?: string;

  @ApiPropertyOptional({ description: 'image, video, document' })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  caption?: string;

  @ApiPropertyOptional({ example: 'invoice.pdf', description: 'document' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;

  @ApiPropertyOptional({ description: 'audio: a voice note' })
  @IsOptional()
  @IsBoolean()
  ptt?: boolean;

  @ApiPropertyOptional({ description: 'audio, video: duration' })
  @IsOptional()
  @IsInt()
  @Min(0)
  seconds?: number;
}

export class MediaHostView {
  @ApiProperty({ example: '127.0.0.1:7011' }) hostname!: string;
  @ApiProperty() maxContentLengthBytes!: number;
}

export class MediaConnView {
  @ApiProperty({ description: 'Upload token for `POST /mms/<type>/<fileEncSha256>?auth=…&token=…`' }) auth!: string;
  @ApiProperty({ description: 'Seconds a client may reuse this answer' }) ttl!: number;
  @ApiProperty({ type: [MediaHostView] }) hosts!: MediaHostView[];
  @ApiProperty({ example: 'https://127.0.0.1:7011' }) baseUrl!: string;
  @ApiProperty({ description: 'PEM of the CA that signs the media host certificate (NODE_EXTRA_CA_CERTS)' })
  caCertificatePath!: string;
}

export class CorruptUploadsDto {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  count?: number;
}

export class CorruptUploadsView {
  @ApiProperty({ description: 'Uploads still to be corrupted' }) pending!: number;
}
