import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every answer (helmet's defaults: HSTS, nosniff, frame-ancestors, referrer
 * policy, no X-Powered-By …) with a Content-Security-Policy that lets the pages the gateway serves
 * work from their own origin only: Swagger UI at /docs (same-origin scripts, inline styles,
 * data: images) and a console SPA at /console with its local assets. No inline or third-party
 * script runs. `upgrade-insecure-requests` is left out: installations behind plain HTTP on a
 * private network would otherwise lose the docs' assets.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        workerSrc: ["'self'", 'blob:'],
      },
    },
  });
}
