import { connect } from 'node:net';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, ValidateNested } from 'class-validator';
import request from 'supertest';
import { AppError } from '@app/contracts';
import { createGatewayApp } from '../../../test/support/gateway-app';
import { Public } from './credentials/auth.decorators';

class AddressDto {
  @IsString() city!: string;
}

class ProbeDto {
  @IsString() name!: string;
  @IsInt() @Max(10) count!: number;
  @ValidateNested() @Type(() => AddressDto) address!: AddressDto;
}

/** Test-only routes that exercise the gateway's global validation and error handling (no credential needed). */
@Public()
@Controller('probe')
class ProbeController {
  @Post()
  accept(@Body() body: ProbeDto): ProbeDto {
    return body;
  }

  @Get('known-failure')
  known(): never {
    throw new AppError('SESSION_NOT_READY', 'Session s1 is not connected');
  }

  @Get('items/:itemId')
  item(@Param('itemId') itemId: string, @Query('q') q?: string): { itemId: string; q?: string } {
    return { itemId, q };
  }

  @Get('crash')
  crash(): never {
    throw new Error('database password is hunter2');
  }
}

describe('gateway HTTP surface', () => {
  let app: INestApplication;
  const valid = { name: 'a', count: 1, address: { city: 'Jakarta' } };

  beforeAll(async () => {
    app = await createGatewayApp({ REQUEST_BODY_LIMIT_BYTES: '4096' }, [ProbeController]);
  });
  afterAll(() => app.close());

  it('accepts a valid body', async () => {
    const response = await request(app.getHttpServer()).post('/probe').send(valid).expect(201);
    expect(response.body).toEqual(valid);
  });

  it('rejects an unknown field, naming it', async () => {
    const response = await request(app.getHttpServer())
      .post('/probe')
      .send({ ...valid, admin: true })
      .expect(400);
    expect(response.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('admin') });
    expect(response.body.error.details.fields).toEqual([{ field: 'admin', problems: [expect.stringContaining('should not exist')] }]);
  });

  it('rejects wrong types and names nested fields', async () => {
    const response = await request(app.getHttpServer())
      .post('/probe')
      .send({ name: 7, count: 'x', address: { city: 1 } })
      .expect(400);
    const fields = response.body.error.details.fields.map((field: { field: string }) => field.field);
    expect(fields).toEqual(['name', 'count', 'address.city']);
  });

  it('rejects invalid JSON with a 400 that does not quote the body', async () => {
    const response = await request(app.getHttpServer()).post('/probe').set('content-type', 'application/json').send('{"password": hunter2').expect(400);
    expect(response.body).toEqual({ error: { code: 'INVALID_PAYLOAD', message: 'Request body is not valid JSON', traceId: expect.any(String) } });
    expect(response.headers['x-request-id']).toBe(response.body.error.traceId);
  });

  it('maps a known application error to its status and code, with Retry-After when a retry can help', async () => {
    const response = await request(app.getHttpServer()).get('/probe/known-failure').set('x-request-id', 'trace-known-01').expect(503);
    expect(response.body).toEqual({ error: { code: 'SESSION_NOT_READY', message: 'Session s1 is not connected', traceId: 'trace-known-01' } });
    expect(response.headers['retry-after']).toBe('2');
  });

  it('sends no Retry-After on errors a retry cannot cure', async () => {
    const response = await request(app.getHttpServer()).post('/probe').send({ name: 1 }).expect(400);
    expect(response.headers['retry-after']).toBeUndefined();
  });

  describe('input screening', () => {
    const post = (body: string) => request(app.getHttpServer()).post('/probe').set('content-type', 'application/json').send(body);
    const fieldOf = (response: request.Response) => response.body.error.details.fields[0].field;

    it('refuses a NUL character in a body field, naming the field', async () => {
      const response = await post(JSON.stringify({ ...valid, address: { city: 'Ja\u0000karta' } })).expect(400);
      expect(response.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('NUL') });
      expect(fieldOf(response)).toBe('address.city');
    });

    it('refuses unpaired UTF-16 surrogates and accepts paired ones', async () => {
      expect(fieldOf(await post('{"name":"a\\ud800b","count":1,"address":{"city":"x"}}').expect(400))).toBe('name');
      expect(fieldOf(await post('{"name":"\\udc00","count":1,"address":{"city":"x"}}').expect(400))).toBe('name');
      await post(JSON.stringify({ ...valid, name: 'emoji 😀' })).expect(201);
    });

    it('refuses nesting deeper than any route takes', async () => {
      const nested = `{"name":${'['.repeat(40)}${']'.repeat(40)},"count":1,"address":{"city":"x"}}`;
      const refused = await post(nested).expect(400);
      expect(refused.body.error.message).toContain('nested');
      expect(fieldOf(refused)).toMatch(/^name(\[0\])+$/);
    });

    it('refuses prototype pollution keys', async () => {
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const response = await post(`{"name":"a","count":1,"address":{"${key}":{"admin":true},"city":"x"}}`).expect(400);
        expect(fieldOf(response)).toBe(`address.${key}`);
      }
    });

    it('refuses numbers no client means: beyond 2^53 in bodies and query strings', async () => {
      expect(fieldOf(await post('{"name":"a","count":1e400,"address":{"city":"x"}}').expect(400))).toBe('count');
      expect(fieldOf(await post('{"name":"a","count":123456789012345678901234,"address":{"city":"x"}}').expect(400))).toBe('count');
      const query = await request(app.getHttpServer()).get('/probe/items/a1?q=99999999999999999999').expect(400);
      expect(query.body.error.details).toMatchObject({ in: 'query', fields: [{ field: 'q' }] });
      await request(app.getHttpServer()).get('/probe/items/a1?q=12345').expect(200);
    });

    it('screens query strings and path parameters, naming them', async () => {
      const query = await request(app.getHttpServer()).get('/probe/items/a1?q=a%00b').expect(400);
      expect(query.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', details: { in: 'query', fields: [{ field: 'q' }] } });
      const path = await request(app.getHttpServer()).get('/probe/items/a%00b').expect(400);
      expect(path.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', details: { in: 'path', fields: [{ field: 'itemId' }] } });
    });

    it('answers a path that is not valid percent-encoding in the envelope', async () => {
      const response = await request(app.getHttpServer()).get('/probe/items/%E0%A4%A').expect(400);
      expect(response.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', traceId: expect.any(String) });
    });
  });

  describe('request limits and headers', () => {
    it('refuses a JSON body above REQUEST_BODY_LIMIT_BYTES with 413 before validation', async () => {
      const response = await request(app.getHttpServer())
        .post('/probe')
        .send({ ...valid, name: 'x'.repeat(5_000) })
        .expect(413);
      expect(response.body.error.code).toBe('MEDIA_TOO_LARGE');
    });

    it('limits URL-encoded bodies too', async () => {
      const response = await request(app.getHttpServer())
        .post('/probe')
        .type('form')
        .send(`name=${'x'.repeat(5_000)}`)
        .expect(413);
      expect(response.body.error.code).toBe('MEDIA_TOO_LARGE');
    });

    it('sends security headers, with a CSP that lets the docs load only their own assets', async () => {
      const docs = await request(app.getHttpServer()).get('/docs/').expect(200);
      expect(docs.headers['x-powered-by']).toBeUndefined();
      expect(docs.headers['x-content-type-options']).toBe('nosniff');
      const csp = String(docs.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      // Every script of the page is a same-origin file (no inline script, which the CSP forbids).
      const scripts = [...docs.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        expect(attributes).toMatch(/src=["'](\.\/|\/docs\/)?[\w.-]+\.js["']/);
        expect(inline.trim()).toBe('');
      }
      for (const [, src] of scripts.map(([, attributes]) => /src=["']([^"']+)["']/.exec(attributes)!)) {
        await request(app.getHttpServer()).get(new URL(src, 'http://gw/docs/').pathname).expect(200);
      }
    });

    it('documents per operation which errors are retryable, with the 503 and its Retry-After', async () => {
      const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
      const reconnect = document.paths['/sessions/{id}/reconnect'].post;
      const codes = reconnect['x-retryable-errors'].map((entry: { code: string }) => entry.code);
      expect(codes).toEqual(expect.arrayContaining(['SERVICE_UNAVAILABLE', 'SESSION_NOT_READY', 'WORKER_TIMEOUT', 'NO_WORKER_AVAILABLE', 'RATE_LIMITED']));
      expect(reconnect.responses['503'].headers['Retry-After']).toBeDefined();
      const send = document.paths['/agents/{id}/messages'].post;
      expect(send['x-retryable-errors']).toContainEqual({ code: 'CONFLICT', status: 409, retryAfterSeconds: 1 });
      const login = document.paths['/auth/login'].post['x-retryable-errors'].map((entry: { code: string }) => entry.code);
      expect(login).toEqual(['SERVICE_UNAVAILABLE', 'RATE_LIMITED']);
      // /health keeps its own 503 (the dependency report).
      expect(document.paths['/health'].get.responses['503'].description).toContain('error');
    });

    it('answers a request Node refuses to parse in the envelope', async () => {
      const address =
        app.getHttpServer().address() ??
        (await new Promise((resolve) => app.getHttpServer().listen(0, '127.0.0.1', () => resolve(app.getHttpServer().address()))));
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect((address as { port: number }).port, '127.0.0.1', () =>
          socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n'),
        );
        let text = '';
        socket
          .setEncoding('utf8')
          .on('data', (chunk: string) => (text += chunk))
          .on('end', () => resolve(text))
          .on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400/);
      const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
      expect(body.error).toMatchObject({ code: 'INVALID_PAYLOAD', message: 'Malformed HTTP request', traceId: expect.any(String) });
    });
  });

  it('answers an unexpected error with a generic 500 carrying the trace id, never the cause', async () => {
    const response = await request(app.getHttpServer()).get('/probe/crash').expect(500);
    expect(response.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error', traceId: expect.any(String) } });
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(response.headers['x-request-id']).toBe(response.body.error.traceId);
  });

  it('takes the trace id from traceparent when there is no x-request-id', async () => {
    const response = await request(app.getHttpServer())
      .get('/no-such-route')
      .set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
      .expect(404);
    expect(response.body.error).toMatchObject({ code: 'NOT_FOUND', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(response.headers['x-request-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
