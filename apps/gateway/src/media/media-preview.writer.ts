import { Injectable } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PinoLogger } from 'nestjs-pino';
import { SendingConfig } from '@app/config';
import { extensionFor } from './media-type.rules';

/**
 * Preview copies of accepted media in TEMP_DIR (seed 003), named by media id so two requests
 * never collide; the scheduler's cleanup job deletes them after TEMP_FILE_MAX_AGE_HOURS.
 */
@Injectable()
export class MediaPreviewWriter {
  constructor(
    private readonly config: SendingConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(MediaPreviewWriter.name);
  }

  /** The file's absolute path, or undefined when it could not be written (the media is stored anyway). */
  async write(mediaId: string, bytes: Buffer, mimeType: string, fileName: string | undefined): Promise<string | undefined> {
    const fromName = fileName?.match(/\.([a-z0-9]{1,8})$/i)?.[1];
    const extension = fromName ?? extensionFor(mimeType);
    const directory = resolve(this.config.TEMP_DIR);
    const path = join(directory, extension ? `${mediaId}.${extension.toLowerCase()}` : mediaId);
    try {
      await mkdir(directory, { recursive: true });
      await writeFile(path, bytes);
      return path;
    } catch (error) {
      // A preview is a convenience: a full disk must not fail a send whose bytes are already stored.
      this.logger.warn({ err: error, mediaId, directory }, 'media preview not written');
      return undefined;
    }
  }
}
