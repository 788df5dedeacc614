import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Where the gateway serves the web console (apps/console). */
const CONSOLE_PATH = '/console';

/**
 * What the console needs from the browser and nothing more: its own scripts, styles and images,
 * API calls and the live-event stream to its own origin. No inline script or style, no data: or
 * third-party URL (the QR is drawn on a canvas). Set on the console's files only; the API's own
 * answers keep whatever policy the rest of the gateway sets.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The built console: dist/console under the project root (the nearest folder up with a package.json). */
export function defaultConsoleDir(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'console');
}

/** File names carry a content hash under assets/: cache them for good; index.html always revalidates. */
function setConsoleHeaders(response: Response, path: string): void {
  response.setHeader('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
  response.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * Serves the console's static files at /console, before Nest's router and its guards: loading
 * the page needs no credential, every API call it makes does. `/console` redirects to
 * `/console/` (relatively, so a path prefix in front of the gateway is kept), since the page
 * addresses its assets relatively. Returns false when the console was not built.
 */
export function serveConsole(app: NestExpressApplication, dir: string): boolean {
  if (!existsSync(join(dir, 'index.html'))) return false;
  app.use(CONSOLE_PATH, (request: Request, response: Response, next: NextFunction) => {
    const [path, query] = request.originalUrl.split('?', 2);
    if (request.path === '/' && !path.endsWith('/')) return response.redirect(301, `console/${query ? `?${query}` : ''}`);
    next();
  });
  app.useStaticAssets(dir, { prefix: CONSOLE_PATH, index: 'index.html', setHeaders: setConsoleHeaders, redirect: false });
  return true;
}
