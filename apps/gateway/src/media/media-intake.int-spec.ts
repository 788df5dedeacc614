import { Test, type TestingModule } from '@nestjs/testing';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfigModule, GatewayConfig, loadConfig } from '@app/config';
import { AppError } from '@app/contracts';
import { DbModule, MediaRepository } from '@app/db';
import { LoggingModule } from '@app/observability';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { baseTestEnv } from '../../../../test/support/test-env';
import { MediaIntakeService } from './media-intake.service';
import type { MediaIntakeRequest } from './media-intake.types';
import { MediaModule } from './media.module';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
const MAX = 4096;

type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A local HTTP server standing in for the internet; records what reached it. */
class MediaHost {
  readonly hits: string[] = [];
  /** Bytes a streaming route had written when the client went away. */
  streamedBeforeClose = -1;
  private readonly server: Server;
  constructor(readonly routes: Record<string, Route>) {
    this.server = createServer((req, res) => {
      this.hits.push(`${req.method} ${req.url}`);
      const route = this.routes[req.url ?? ''];
      if (route) route(req, res);
      else res.writeHead(404).end();
    });
  }
  async start(host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Writes 64 KiB chunks until `total` bytes, recording how far it got if the client hangs up. */
function stream(host: MediaHost, res: ServerResponse, total: number): void {
  let written = 0;
  res.on('close', () => {
    if (written < total) host.streamedBeforeClose = written;
  });
  const pump = () => {
    while (written < total) {
      written += 65_536;
      if (!res.write(Buffer.alloc(65_536, 1))) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the media to be refused');
}

describe('MediaIntakeService', () => {
  const fixtures = new DbFixtures();
  const modules: TestingModule[] = [];
  let tempDir: string;
  let sessionId: string;
  let origin: string;
  let host: MediaHost;

  const intakeWith = async (env: Record<string, string>) => {
    const config = loadConfig(GatewayConfig, baseTestEnv({ MEDIA_MAX_BYTES: String(MAX), TEMP_DIR: tempDir, MEDIA_FETCH_TIMEOUT_MS: '5000', ...env }));
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(GatewayConfig, config), LoggingModule.forApp('media-test'), DbModule.forRoot(), MediaModule],
    }).compile();
    modules.push(moduleRef);
    return moduleRef.get(MediaIntakeService);
  };
  let open: MediaIntakeService;
  let strict: MediaIntakeService;
  const accept = (service: MediaIntakeService, request: Omit<MediaIntakeRequest, 'sessionId'>) => service.accept({ sessionId, ...request });

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'media-intake-'));
    sessionId = (await fixtures.session((await fixtures.user()).id)).id;
    host = new MediaHost({
      '/cat.png': (_req, res) =>
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(_req.method === 'HEAD' ? undefined : PNG),
      '/report': (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="laporan.pdf"' }).end('%PDF-1.7 fake'),
      '/declared-huge': (req, res) =>
        req.method === 'HEAD' ? res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 50_000_000 }).end() : stream(host, res, 50_000_000),
      '/head-lies': (req, res) =>
        req.method === 'HEAD' ? res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 100 }).end() : stream(host, res, 50_000_000),
      '/no-length': (req, res) =>
        req.method === 'HEAD' ? res.writeHead(405).end() : (res.writeHead(200, { 'content-type': 'video/mp4' }), stream(host, res, 50_000_000)),
      '/get-declares-huge': (req, res) =>
        req.method === 'HEAD'
          ? res.writeHead(405).end()
          : (res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 50_000_000 }), stream(host, res, 50_000_000)),
      '/setup.exe': (_req, res) => res.writeHead(200, { 'content-type': 'application/x-msdownload' }).end('MZ'),
      '/gone': (_req, res) => res.writeHead(404).end(),
      '/hang': () => undefined,
      ...Object.fromEntries(
        Array.from({ length: 7 }, (_, n) => [
          `/hop/${n + 1}`,
          (_req: IncomingMessage, res: ServerResponse) => res.writeHead(302, { location: n === 0 ? '/cat.png' : `/hop/${n}` }).end(),
        ]),
      ),
    });
    origin = await host.start();
    open = await intakeWith({ URL_FETCH_ALLOWLIST: '127.0.0.1' });
    strict = await intakeWith({ URL_FETCH_ALLOWLIST: '' });
  });

  afterAll(async () => {
    for (const moduleRef of modules) await moduleRef.close();
    await host.stop();
    await fixtures.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    host.hits.length = 0;
    host.streamedBeforeClose = -1;
  });

  describe('base64', () => {
    it('stores the bytes in media_objects and writes a preview', async () => {
      const media = await accept(open, { source: { type: 'base64', data: PNG.toString('base64') } });
      expect(media).toMatchObject({ kind: 'image', mimeType: 'image/png', size: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex') });
      const stored = await modules[0].get(MediaRepository).findWithBytes(media.mediaId);
      expect(stored).toMatchObject({ sessionId, mimeType: 'image/png', size: PNG.length, fileName: null });
      expect(stored!.bytes.equals(PNG)).toBe(true);
      expect(media.previewPath).toBe(join(tempDir, `${media.mediaId}.png`));
      expect(readFileSync(media.previewPath!).equals(PNG)).toBe(true);
    });

    it('skips the preview when save_to_temp is false', async () => {
      const before = await readdir(tempDir);
      const media = await accept(open, { source: { type: 'base64', data: PNG.toString('base64') }, saveToTemp: false });
      expect(media.previewPath).toBeUndefined();
      expect(await readdir(tempDir)).toEqual(before);
    });

    it('takes the type from a data URL, parameters included, and derives the kind', async () => {
      const ogg = Buffer.from('OggS-not-really-opus');
      const media = await accept(open, {
        source: { type: 'base64', data: `data:audio/ogg;codecs=opus;base64,${ogg.toString('base64')}` },
        fileName: 'note.ogg',
      });
      expect(media).toMatchObject({ kind: 'audio', mimeType: 'audio/ogg; codecs=opus', fileName: 'note.ogg', size: ogg.length });
    });

    it('accepts exactly the limit and refuses one byte more before decoding', async () => {
      await expect(
        accept(open, { source: { type: 'base64', data: Buffer.alloc(MAX, 1).toString('base64') }, mimeType: 'application/pdf' }),
      ).resolves.toMatchObject({ size: MAX, kind: 'document', fileName: 'document.pdf' });
      const error = await rejection(
        accept(open, { source: { type: 'base64', data: Buffer.alloc(MAX + 1, 1).toString('base64') }, mimeType: 'application/pdf' }),
      );
      expect(error).toMatchObject({ code: 'MEDIA_TOO_LARGE', details: { maxBytes: MAX, bytes: MAX + 1 } });
      // Not base64 at all, but too long: the size verdict comes first, without decoding.
      expect((await rejection(accept(open, { source: { type: 'base64', data: '!'.repeat(8_000) } }))).code).toBe('MEDIA_TOO_LARGE');
    });

    it('refuses text that is not base64, and a data URL that is not base64', async () => {
      expect((await rejection(accept(open, { source: { type: 'base64', data: 'not base64 at all!' } }))).message).toBe('The media is not valid base64');
      expect((await rejection(accept(open, { source: { type: 'base64', data: 'data:text/plain,hello' } }))).message).toMatch(/must be base64 encoded/);
    });

    it('refuses a type outside the allow-list with 415 and a kind that does not fit the type', async () => {
      const exe = await rejection(
        accept(open, { source: { type: 'base64', data: Buffer.from('MZ').toString('base64') }, mimeType: 'application/x-msdownload' }),
      );
      expect(exe).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', httpStatus: 415, message: 'Media of type application/x-msdownload is not accepted' });
      const unknown = await rejection(accept(open, { source: { type: 'base64', data: Buffer.from('no magic').toString('base64') } }));
      expect(unknown.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const pdfAsImage = await rejection(accept(open, { source: { type: 'base64', data: Buffer.from('%PDF-1.7').toString('base64') }, kind: 'image' }));
      expect(pdfAsImage).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('application/pdf cannot be sent as image') });
    });
  });

  describe('URL', () => {
    it('downloads media from an allow-listed host with its type and file name', async () => {
      const image = await accept(open, { source: { type: 'url', url: `${origin}/cat.png` } });
      expect(image).toMatchObject({ kind: 'image', mimeType: 'image/png', fileName: 'cat.png', size: PNG.length });
      expect(host.hits).toEqual(['HEAD /cat.png', 'GET /cat.png']);
      const pdf = await accept(open, { source: { type: 'url', url: `${origin}/report` }, saveToTemp: false });
      expect(pdf).toMatchObject({ kind: 'document', mimeType: 'application/pdf', fileName: 'laporan.pdf' });
    });

    it('refuses a declared oversize body after HEAD without sending the GET', async () => {
      const error = await rejection(accept(open, { source: { type: 'url', url: `${origin}/declared-huge` } }));
      expect(error).toMatchObject({ code: 'MEDIA_TOO_LARGE', details: { maxBytes: MAX, declaredBytes: 50_000_000 } });
      expect(host.hits).toEqual(['HEAD /declared-huge']);
    });

    it.each(['/head-lies', '/no-length'])('stops reading %s at the cap while streaming', async (path) => {
      const error = await rejection(accept(open, { source: { type: 'url', url: `${origin}${path}` } }));
      expect(error.code).toBe('MEDIA_TOO_LARGE');
      expect(host.hits).toEqual([`HEAD ${path}`, `GET ${path}`]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(host.streamedBeforeClose).toBeGreaterThan(0);
      expect(host.streamedBeforeClose).toBeLessThan(10_000_000);
    });

    it('refuses a GET whose declared length is over the limit without reading it', async () => {
      expect((await rejection(accept(open, { source: { type: 'url', url: `${origin}/get-declares-huge` } }))).details).toMatchObject({
        declaredBytes: 50_000_000,
      });
    });

    it('follows up to MEDIA_FETCH_MAX_REDIRECTS redirects and no more', async () => {
      await expect(accept(open, { source: { type: 'url', url: `${origin}/hop/5` }, saveToTemp: false })).resolves.toMatchObject({ mimeType: 'image/png' });
      const error = await rejection(accept(open, { source: { type: 'url', url: `${origin}/hop/6` } }));
      expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('more than 5 redirects') });
    });

    it('gives up on a server that does not answer within MEDIA_FETCH_TIMEOUT_MS', async () => {
      const impatient = await intakeWith({ URL_FETCH_ALLOWLIST: '127.0.0.1', MEDIA_FETCH_TIMEOUT_MS: '300' });
      const started = Date.now();
      const error = await rejection(accept(impatient, { source: { type: 'url', url: `${origin}/hang` } }));
      expect(error).toMatchObject({ code: 'BAD_GATEWAY', message: 'The media URL did not answer within 300 ms' });
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('refuses a downloaded type outside the allow-list and reports upstream errors', async () => {
      expect((await rejection(accept(open, { source: { type: 'url', url: `${origin}/setup.exe` } }))).code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await rejection(accept(open, { source: { type: 'url', url: `${origin}/gone` } }))).toMatchObject({
        code: 'INVALID_PAYLOAD',
        details: { status: 404 },
      });
      expect((await rejection(accept(open, { source: { type: 'url', url: 'ftp://example.com/a.png' } }))).message).toMatch(/only http and https/);
    });
  });

  describe('SSRF', () => {
    it.each([
      ['loopback IPv4', (port: string) => `http://127.0.0.1:${port}/cat.png`],
      ['localhost', (port: string) => `http://localhost:${port}/cat.png`],
      ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data'],
      ['loopback IPv6', (port: string) => `http://[::1]:${port}/`],
      ['hex IPv4', (port: string) => `http://0x7f000001:${port}/cat.png`],
      ['IPv4-mapped IPv6', (port: string) => `http://[::ffff:127.0.0.1]:${port}/cat.png`],
      ['private range', () => 'http://10.1.2.3/x'],
      ['unspecified', (port: string) => `http://0.0.0.0:${port}/cat.png`],
    ])('refuses %s when nothing is allow-listed', async (_label, url) => {
      const error = await rejection(accept(strict, { source: { type: 'url', url: url(new URL(origin).port) } }));
      expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', details: { reason: 'blocked' } });
      expect(error.message).toMatch(/destination refused/);
      expect(host.hits).toEqual([]);
    });

    describe('redirects', () => {
      const firstHop = new MediaHost({});
      let hopped: MediaIntakeService;
      let firstOrigin: string;

      beforeAll(async () => {
        firstOrigin = await firstHop.start('127.0.0.2');
        // Only the first hop is allow-listed, as a public server would be.
        hopped = await intakeWith({ URL_FETCH_ALLOWLIST: '127.0.0.2' });
      });
      afterAll(() => firstHop.stop());
      beforeEach(() => {
        firstHop.hits.length = 0;
      });

      it.each([
        ['a loopback address', () => `${origin}/cat.png`],
        ['localhost', () => `http://localhost:${new URL(origin).port}/cat.png`],
        ['the metadata service', () => 'http://169.254.169.254/latest/meta-data'],
      ])('refuses a redirect chain that ends at %s', async (_label, target) => {
        firstHop.routes['/start'] = (_req, res) => res.writeHead(302, { location: '/middle' }).end();
        firstHop.routes['/middle'] = (_req, res) => res.writeHead(307, { location: target() }).end();
        const error = await rejection(accept(hopped, { source: { type: 'url', url: `${firstOrigin}/start` } }));
        expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', details: { reason: 'blocked' } });
        expect(firstHop.hits).toEqual(['HEAD /start', 'HEAD /middle']);
        expect(host.hits).toEqual([]);
      });
    });
  });
});
