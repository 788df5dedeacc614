import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');
const GENERATED = 'libs/client/src/generated/openapi.ts';
const run = promisify(execFile);

describe("the typed client's generated types", () => {
  it('are what `npm run client:generate` makes of the committed openapi.json (else run it)', async () => {
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['client:generate'];
    const [tool, ...args] = script.split(' ');
    expect(tool).toBe('openapi-typescript');
    expect(args).toContain(GENERATED);
    const dir = mkdtempSync(join(tmpdir(), 'wagw-client-'));
    try {
      const output = join(dir, 'openapi.ts');
      const cli = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
      await run(process.execPath, [cli, ...args.map((arg) => (arg === GENERATED ? output : arg))], { cwd: ROOT });
      expect(readFileSync(join(ROOT, GENERATED), 'utf8')).toBe(readFileSync(output, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
