import { Body, Controller, Param, Post, UploadedFile } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { GatewayConfig, loadConfig } from '@app/config';
import { MEDIA_KINDS, type MediaKind } from '@app/contracts';
import { MediaRepository } from '@app/db';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { baseTestEnv } from '../../../../test/support/test-env';
import { Public } from '../credentials/auth.decorators';
import { configureGateway } from '../configure-gateway';
import { GatewayModule } from '../gateway.module';
import { MediaIntakeService } from './media-intake.service';
import { mediaContentOf, mediaJsonBodyLimit, pickMediaSource, type UploadedMediaFile } from './media-intake.types';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { MediaUpload } from './media-upload.interceptor';
import { MediaModule } from './media.module';

/** Over Express' default JSON limit (100 kB) as base64, so the body limit helper is exercised too. */
const MAX = 200_000;

class ProbeMediaDto {
  @IsOptional() @IsString() base64?: string;
  @IsOptional() @IsString() url?: string;
  @IsOptional() @IsString() caption?: string;
  @IsOptional() @IsIn(MEDIA_KINDS) mediaType?: MediaKind;
}

/** A test-only send route taking media as JSON or as a multipart upload, like the real ones will. */
@Public()
@Controller('probe-media')
class ProbeMediaController {
  constructor(private readonly intake: MediaIntakeService) {}

  @Post(':sessionId')
  @Idempotent()
  @MediaUpload()
  async send(@Param('sessionId') sessionId: string, @Body() body: ProbeMediaDto, @UploadedFile() file?: UploadedMediaFile) {
    const media = await this.intake.accept({
      sessionId,
      source: pickMediaSource({ base64: body.base64, url: body.url, file }),
      kind: body.mediaType,
      saveToTemp: false,
    });
    return mediaContentOf(media, { caption: body.caption });
  }
}

describe('media upload through the gateway', () => {
  const fixtures = new DbFixtures();
  let app: NestExpressApplication;
  let sessionId: string;
  let tempDir: string;

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'media-upload-'));
    sessionId = (await fixtures.session((await fixtures.user()).id)).id;
    const config = loadConfig(GatewayConfig, baseTestEnv({ MEDIA_MAX_BYTES: String(MAX), TEMP_DIR: tempDir, API_RATE_LIMIT: '100000' }));
    const moduleRef = await Test.createTestingModule({
      imports: [GatewayModule.register(config), MediaModule, IdempotencyModule],
      controllers: [ProbeMediaController],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    app.useBodyParser('json', { limit: mediaJsonBodyLimit(config.MEDIA_MAX_BYTES) });
    await configureGateway(app);
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await fixtures.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  it('stores an uploaded file with its caption fields and returns the message content', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1000, 0x20)]);
    const response = await request(app.getHttpServer())
      .post(`/probe-media/${sessionId}`)
      .field('caption', 'Invoice #123')
      .attach('file', pdf, { filename: 'invoice.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(response.body).toEqual({
      kind: 'document',
      mediaId: expect.any(String),
      mimeType: 'application/pdf',
      fileName: 'invoice.pdf',
      caption: 'Invoice #123',
    });
    const stored = await app.get(MediaRepository).findWithBytes(response.body.mediaId);
    expect(stored!.bytes.equals(pdf)).toBe(true);
  });

  it('screens multipart fields like JSON ones: a NUL in a caption is a 400 naming it', async () => {
    const response = await request(app.getHttpServer())
      .post(`/probe-media/${sessionId}`)
      .field('caption', 'Invoice\u0000#123')
      .attach('file', Buffer.from('%PDF-1.7\n'), { filename: 'invoice.pdf', contentType: 'application/pdf' })
      .expect(400);
    expect(response.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', details: { in: 'body', fields: [{ field: 'caption' }] } });
  });

  it('refuses an oversize upload with 413 MEDIA_TOO_LARGE in the error envelope', async () => {
    const response = await request(app.getHttpServer())
      .post(`/probe-media/${sessionId}`)
      .set('x-request-id', 'trace-upload-413')
      .attach('file', Buffer.alloc(MAX + 1, 1), { filename: 'big.pdf', contentType: 'application/pdf' })
      .expect(413);
    expect(response.body).toEqual({
      error: {
        code: 'MEDIA_TOO_LARGE',
        message: `The uploaded file is larger than the limit of ${MAX} bytes`,
        traceId: 'trace-upload-413',
        details: { maxBytes: MAX },
      },
    });
  });

  it('refuses a disallowed upload type with 415 and a file in the wrong field with 400', async () => {
    const exe = await request(app.getHttpServer())
      .post(`/probe-media/${sessionId}`)
      .attach('file', Buffer.from('MZ'), { filename: 'setup.exe', contentType: 'application/x-msdownload' })
      .expect(415);
    expect(exe.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const wrongField = await request(app.getHttpServer())
      .post(`/probe-media/${sessionId}`)
      .attach('document', Buffer.from('%PDF-1.7'), { filename: 'a.pdf', contentType: 'application/pdf' })
      .expect(400);
    expect(wrongField.body.error.message).toBe('Unexpected file field "document": upload one file as "file"');
  });

  it('takes JSON base64 up to the media limit on the same route', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MAX - 9, 0x20)]);
    const accepted = await request(app.getHttpServer())
      .post(`/probe-media/${sessionId}`)
      .send({ base64: pdf.toString('base64') })
      .expect(201);
    expect(accepted.body).toMatchObject({ kind: 'document', mimeType: 'application/pdf' });
    const over = Buffer.concat([pdf, Buffer.from(' ')]).toString('base64');
    const refused = await request(app.getHttpServer()).post(`/probe-media/${sessionId}`).send({ base64: over }).expect(413);
    expect(refused.body.error).toMatchObject({ code: 'MEDIA_TOO_LARGE', message: `The media is larger than the limit of ${MAX} bytes` });
  });

  it('reads the media type of bare base64, and wants exactly one media source', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]);
    const json = await request(app.getHttpServer())
      .post(`/probe-media/${sessionId}`)
      .send({ base64: png.toString('base64'), caption: 'hi' })
      .expect(201);
    expect(json.body).toMatchObject({ kind: 'image', mimeType: 'image/png', caption: 'hi' });
    const none = await request(app.getHttpServer()).post(`/probe-media/${sessionId}`).send({ caption: 'hi' }).expect(400);
    expect(none.body.error.message).toBe('Give the media in exactly one of data/base64, url or a multipart file: none was given');
  });

  it('fingerprints the uploaded file for Idempotency-Key: same upload replays, another file is refused', async () => {
    const upload = (bytes: Buffer) =>
      request(app.getHttpServer())
        .post(`/probe-media/${sessionId}`)
        .set('Idempotency-Key', `upload-${sessionId}`)
        .field('caption', 'once')
        .attach('file', bytes, { filename: 'a.pdf', contentType: 'application/pdf' });
    const first = await upload(Buffer.from('%PDF-1.7 first')).expect(201);
    const again = await upload(Buffer.from('%PDF-1.7 first')).expect(201);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await upload(Buffer.from('%PDF-1.7 second')).expect(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
