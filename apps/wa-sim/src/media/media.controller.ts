import { Body, Controller, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MediaConnHandler } from './media-conn.handler';
import { MediaHostServer } from './media-host.server';
import { MediaIdentityService } from './media-identity.service';
import { CorruptUploadsDto, CorruptUploadsView, MediaConnView } from './media.dto';
import { SentMediaService } from './sent-media.service';

@ApiTags('media')
@Controller()
export class MediaController {
  constructor(
    private readonly sentMedia: SentMediaService,
    private readonly mediaConn: MediaConnHandler,
    private readonly host: MediaHostServer,
    private readonly identity: MediaIdentityService,
  ) {}

  @Get('messages/sent/:messageId/media')
  @ApiTags('messages')
  @ApiOperation({ summary: 'The decrypted bytes of a media message a companion sent (downloaded and verified again)' })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The bytes, with the message mimetype as content-type', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 409, description: 'MEDIA_UNAVAILABLE: the blob was missing or failed verification (see media.error)' })
  async sentMediaBytes(@Param('messageId') messageId: string): Promise<StreamableFile> {
    const { bytes, mimetype, fileName } = await this.sentMedia.bytesOf(messageId);
    return new StreamableFile(bytes, {
      type: mimetype ?? 'application/octet-stream',
      length: bytes.length,
      disposition: fileName ? `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}` : undefined,
    });
  }

  @Get('media/conn')
  @ApiOperation({ summary: "What a companion's media_conn query gets (upload token, host), plus the CA to trust" })
  @ApiResponse({ status: 200, type: MediaConnView })
  connection(): MediaConnView {
    return { ...this.mediaConn.issue(), baseUrl: this.host.baseUrl, caCertificatePath: this.identity.caCertificatePath };
  }

  @Post('media/faults/corrupt-uploads')
  @HttpCode(200)
  @ApiOperation({ summary: 'Fault: store the next uploads with a flipped byte (the recipient phone reports FILE_ENC_SHA256_MISMATCH)' })
  @ApiResponse({ status: 200, type: CorruptUploadsView })
  corruptUploads(@Body() body: CorruptUploadsDto): CorruptUploadsView {
    return { pending: this.host.corruptNextUploads(body.count ?? 1) };
  }
}
