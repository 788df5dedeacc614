import { mkdir, readdir, lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';

export interface CleanupResult {
  removed: number;
  kept: number;
}

/**
 * Deletes regular files older than a given age under a directory tree (media previews, seed 003).
 * Symlinks are never followed and directories are kept, so nothing outside the tree is touched.
 */
@Injectable()
export class TempFilesCleaner {
  async clean(directory: string, maxAgeMs: number, now = Date.now()): Promise<CleanupResult> {
    await mkdir(directory, { recursive: true });
    return this.cleanTree(directory, now - maxAgeMs);
  }

  private async cleanTree(directory: string, cutoff: number): Promise<CleanupResult> {
    const result: CleanupResult = { removed: 0, kept: 0 };
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        const nested = await this.cleanTree(path, cutoff);
        result.removed += nested.removed;
        result.kept += nested.kept;
      } else if (entry.isFile()) {
        if (await this.removeIfOlder(path, cutoff)) result.removed += 1;
        else result.kept += 1;
      }
    }
    return result;
  }

  private async removeIfOlder(path: string, cutoff: number): Promise<boolean> {
    try {
      const stats = await lstat(path);
      if (stats.mtimeMs >= cutoff) return false;
      await unlink(path);
      return true;
    } catch (error) {
      // Another cleaner (or the file's owner) removed it first: that is the desired outcome.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}
