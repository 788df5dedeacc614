import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { SimStateStore } from '../persistence/sim-state-store';
import { MEDIA_FOLDER } from './media.options';

const BLOB_ID = /^[0-9a-f]{32}$/;
const DIRECT_PATH = /^\/v\/t62\.7118-24\/([0-9a-f]{32})\.enc$/;

/**
 * Encrypted media blobs as files under `<stateDir>/media/blobs`, so media sent before a restart
 * (or queued for an offline companion) can still be downloaded. Never pruned.
 */
@Injectable()
export class MediaBlobStore {
  private readonly directory: string;

  constructor(state: SimStateStore) {
    this.directory = join(state.files.directory, MEDIA_FOLDER, 'blobs');
    mkdirSync(this.directory, { recursive: true });
  }

  /** Stores the blob and returns its direct path (the part of a media URL after the host). */
  async put(blob: Buffer): Promise<string> {
    const id = randomBytes(16).toString('hex');
    const path = this.pathOf(id);
    await writeFile(`${path}.tmp`, blob);
    await rename(`${path}.tmp`, path);
    return `/v/t62.7118-24/${id}.enc?ccb=11-4&mms3=true`;
  }

  /** The blob a direct path or URL points at; undefined when unknown. */
  async get(directPathOrUrl: string): Promise<Buffer | undefined> {
    const id = blobIdOf(directPathOrUrl);
    if (!id) return undefined;
    try {
      return await readFile(this.pathOf(id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private pathOf(id: string): string {
    if (!BLOB_ID.test(id)) throw new Error(`bad blob id ${id}`);
    return join(this.directory, `${id}.enc`);
  }
}

function blobIdOf(directPathOrUrl: string): string | undefined {
  return DIRECT_PATH.exec(new URL(directPathOrUrl, 'https://media.invalid').pathname)?.[1];
}
