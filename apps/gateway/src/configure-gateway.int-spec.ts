import { Body, Controller, Get, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, ValidateNested } from 'class-validator';
import request from 'supertest';
import { AppError } from '@app/contracts';
import { createGatewayApp } from '../../../test/support/gateway-app';
import { Public } from './auth/auth.decorators';

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

  @Get('crash')
  crash(): never {
    throw new Error('database password is hunter2');
  }
}

describe('gateway HTTP surface', () => {
  let app: INestApplication;
  const valid = { name: 'a', count: 1, address: { city: 'Jakarta' } };

  beforeAll(async () => {
    app = await createGatewayApp({}, [ProbeController]);
  });
  afterAll(() => app.close());

  it('accepts a valid body', async () => {
    const response = await request(app.getHttpServer()).post('/probe').send(valid).expect(201);
    expect(response.body).toEqual(valid);
  });

  it('rejects an unknown field, naming it', async () => {
    const response = await request(app.getHttpServer()).post('/probe').send({ ...valid, admin: true }).expect(400);
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
    const response = await request(app.getHttpServer())
      .post('/probe')
      .set('content-type', 'application/json')
      .send('{"password": hunter2')
      .expect(400);
    expect(response.body).toEqual({ error: { code: 'INVALID_PAYLOAD', message: 'Request body is not valid JSON', traceId: expect.any(String) } });
    expect(response.headers['x-request-id']).toBe(response.body.error.traceId);
  });

  it('maps a known application error to its status and code', async () => {
    const response = await request(app.getHttpServer()).get('/probe/known-failure').set('x-request-id', 'trace-known-01').expect(409);
    expect(response.body).toEqual({ error: { code: 'SESSION_NOT_READY', message: 'Session s1 is not connected', traceId: 'trace-known-01' } });
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
