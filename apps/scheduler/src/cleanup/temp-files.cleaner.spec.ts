import { mkdtemp, mkdir, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TempFilesCleaner } from './temp-files.cleaner';

const HOUR = 3_600_000;

describe('TempFilesCleaner', () => {
  let root: string;
  const cleaner = new TempFilesCleaner();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'wagw-clean-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const writeAged = async (path: string, ageMs: number) => {
    await writeFile(path, 'x');
    const when = new Date(Date.now() - ageMs);
    await utimes(path, when, when);
  };

  it('removes files older than the limit, also in subdirectories, and keeps the rest', async () => {
    await mkdir(join(root, 'previews'));
    await writeAged(join(root, 'old.jpg'), 25 * HOUR);
    await writeAged(join(root, 'previews', 'old.pdf'), 48 * HOUR);
    await writeAged(join(root, 'fresh.jpg'), 1 * HOUR);

    const result = await cleaner.clean(root, 24 * HOUR);

    expect(result).toEqual({ removed: 2, kept: 1 });
    expect(await readdir(root)).toEqual(expect.arrayContaining(['fresh.jpg', 'previews']));
    expect(await readdir(join(root, 'previews'))).toEqual([]);
  });

  it('never follows a symlink out of the directory', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'wagw-outside-'));
    await writeAged(join(outside, 'precious.txt'), 100 * HOUR);
    await symlink(outside, join(root, 'link'));
    await cleaner.clean(root, 24 * HOUR);
    expect(await readdir(outside)).toEqual(['precious.txt']);
    await rm(outside, { recursive: true, force: true });
  });

  it('creates a missing directory instead of failing', async () => {
    const missing = join(root, 'not-yet');
    await expect(cleaner.clean(missing, HOUR)).resolves.toEqual({ removed: 0, kept: 0 });
  });
});
