import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');
const run = promisify(execFile);

describe('the typed client\'s generated types', () => {
  it('are what openapi-typescript makes of the committed openapi.json (else run `npm run client:generate`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wagw-client-'));
    try {
      const output = join(dir, 'openapi.ts');
      const cli = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
      await run(process.execPath, [cli, join(ROOT, 'openapi.json'), '--output', output], { cwd: ROOT });
      expect(readFileSync(join(ROOT, 'libs', 'client', 'src', 'generated', 'openapi.ts'), 'utf8')).toBe(readFileSync(output, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
