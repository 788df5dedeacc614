import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GatewayConfig, loadConfig } from '@app/config';
import { buildOpenApiDocument } from '../../apps/gateway/src/docs/swagger';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';

/** The committed document describes a gateway on default settings; these only satisfy validation. */
const PLACEHOLDER_SECRETS = {
  DATABASE_URL: 'postgresql://openapi@127.0.0.1:1/unused',
  ENCRYPTION_KEY: '0'.repeat(64),
  JWT_SECRET: 'openapi-document-placeholder-secret',
};

/**
 * `npm run openapi`: writes openapi.json at the repository root, the document a gateway on
 * default settings serves at /docs-json. The app is built in preview mode (no provider runs),
 * so no database, Redis or worker is needed.
 */
async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  const config = loadConfig(GatewayConfig, PLACEHOLDER_SECRETS);
  const app = await NestFactory.create(GatewayModule.register(config), { preview: true, logger: false, abortOnError: false });
  const document = buildOpenApiDocument(app, config);
  await app.close();
  const target = join(root, 'openapi.json');
  // Two-space JSON and a final newline, so diffs of the committed file stay readable.
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${target} (${Object.keys(document.paths).length} paths)\n`);
}

void main();
