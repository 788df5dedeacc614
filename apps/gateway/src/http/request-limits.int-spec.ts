import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { fuzzOperations, resolve, type OpenApiDocument, type Schema } from '../../../../test/support/openapi-fuzz';
import { carriesMedia } from './request-limits';

/** Fields through which a JSON body carries media bytes (base64). */
const MEDIA_FIELDS = new Set(['base64', 'data']);

describe('request body limits by route', () => {
  let app: INestApplication;
  let document: OpenApiDocument;

  beforeAll(async () => {
    app = await createGatewayApp();
    document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
  });
  afterAll(() => app.close());

  function hasMediaField(schema: Schema | undefined, depth = 0): boolean {
    const resolved = resolve(document, schema);
    if (depth > 5) return false;
    if (resolved.items) return hasMediaField(resolved.items, depth + 1);
    return Object.entries(resolved.properties ?? {}).some(([name, property]) => MEDIA_FIELDS.has(name) || hasMediaField(property, depth + 1));
  }

  it('gives the media limit to exactly the operations whose JSON can carry base64 media', () => {
    const operations = fuzzOperations(document).filter((operation) => operation.bodySchema);
    const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x');
    const media = operations.filter((operation) => hasMediaField(operation.bodySchema)).map((operation) => `${operation.method} ${operation.path}`);
    const large = operations.filter((operation) => carriesMedia(concrete(operation.path))).map((operation) => `${operation.method} ${operation.path}`);
    expect(media.length).toBeGreaterThanOrEqual(3);
    expect(large.sort()).toEqual(media.sort());
  });
});
