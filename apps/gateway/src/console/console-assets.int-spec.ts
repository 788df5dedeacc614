import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { CONSOLE_CONTENT_SECURITY_POLICY } from './console-assets';

/** The console as `npm run build` leaves it in dist/console, served by the gateway. */
describe('the web console at /console', () => {
  describe('enabled (the default)', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createGatewayApp();
    });

    afterAll(() => app.close());

    it('sends /console on to /console/, relatively so a path prefix in front of the gateway is kept', async () => {
      const response = await request(app.getHttpServer()).get('/console').expect(301);
      expect(response.headers.location).toBe('console/');
      expect((await request(app.getHttpServer()).get('/console?x=1').expect(301)).headers.location).toBe('console/?x=1');
    });

    it('serves the page and its assets without a credential, under a CSP with no inline script and only its own origin', async () => {
      const page = await request(app.getHttpServer()).get('/console/').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.text).toContain('<div id="app"></div>');
      // Every script and stylesheet is a file of its own (nothing inline), addressed relatively.
      const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/src="\.\/assets\/[^"]+\.js"/);
        expect(body.trim()).toBe('');
      }
      expect(page.text).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);

      const assets = [...page.text.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((match) => match[1]);
      expect(assets.some((asset) => asset.endsWith('.css'))).toBe(true);
      for (const asset of assets) {
        const file = await request(app.getHttpServer()).get(`/console/${asset}`).expect(200);
        expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(file.headers['content-type']).toMatch(asset.endsWith('.js') ? /javascript/ : /text\/css/);
      }
    });

    it("keeps the API closed: the console's calls need a credential like any other", async () => {
      const response = await request(app.getHttpServer()).get('/sessions').expect(401);
      expect(response.body.error.code).toBe('UNAUTHORIZED');
      // The console's stricter policy is its own files'; the API keeps the gateway-wide one.
      expect(response.headers['content-security-policy']).not.toContain("default-src 'none'");
    });

    it("answers a file it does not have with the API's 404 envelope", async () => {
      const response = await request(app.getHttpServer()).get('/console/assets/missing.js').expect(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    });
  });

  it('is not served when CONSOLE_ENABLED=false', async () => {
    const app = await createGatewayApp({ CONSOLE_ENABLED: 'false' });
    try {
      await request(app.getHttpServer()).get('/console/').expect(404);
    } finally {
      await app.close();
    }
  });
});
