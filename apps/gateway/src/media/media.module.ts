import { Module } from '@nestjs/common';
import { sendingConfigOf } from '@app/config';
import { DbModule, MediaRepository } from '@app/db';
import { SafeFetchModule } from '@app/safe-fetch';
import { MediaIntakeService } from './media-intake.service';
import { MediaPreviewWriter } from './media-preview.writer';
import { MEDIA_UPLOAD_PARSER, mediaUploadParserProvider } from './media-upload.interceptor';

/**
 * Media intake for send routes: MediaIntakeService, and what `@MediaUpload()` routes need
 * (the upload parser) in the module that imports this one.
 */
@Module({
  imports: [DbModule.forFeature([MediaRepository]), SafeFetchModule.register((config) => sendingConfigOf(config).URL_FETCH_ALLOWLIST)],
  providers: [MediaIntakeService, MediaPreviewWriter, mediaUploadParserProvider],
  exports: [MediaIntakeService, MEDIA_UPLOAD_PARSER],
})
export class MediaModule {}
