import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { createGatewayApp } from '../../../../test/support/gateway-app';

const ROOT = join(__dirname, '..', '..', '..', '..');
const OPENAPI_FILE = join(ROOT, 'openapi.json');
const run = promisify(execFile);

type Document = { paths: Record<string, Record<string, { operationId?: string }>> };

/**
 * openapi.json is what frontend teams and the typed client (libs/client) build on: it must be
 * exactly what a gateway on default settings serves, lint clean, with stable client-friendly ids.
 */
describe('the committed OpenAPI document (openapi.json)', () => {
  let app: INestApplication;
  const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Document;

  beforeAll(async () => {
    app = await createGatewayApp();
  });

  afterAll(() => app.close());

  it('is what the gateway serves at /docs-json (else run `npm run openapi` and commit the result)', async () => {
    const served = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as Document;
    expect(committed).toEqual(served);
  });

  it('names every operation `<area>.<action>`, each once', () => {
    const ids = Object.values(committed.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
    expect(ids.filter((id) => !id || !/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['sessions.create', 'sessions.getQr', 'messages.sendText', 'events.stream', 'events.createTicket', 'auth.register']),
    );
  });

  it("passes Redocly's recommended rules with no errors (offline, no telemetry)", async () => {
    const cli = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    // execFile rejects on a non-zero exit, which is how the CLI reports errors.
    const { stdout } = await run(process.execPath, [cli, 'lint', OPENAPI_FILE, '--format=json'], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
    const report = JSON.parse(stdout) as { totals: { errors: number } };
    expect(report.totals.errors).toBe(0);
  }, 60_000);
});
