import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import { mediaJsonBodyLimit } from '../media/media-intake.types';

/**
 * Routes whose JSON bodies may carry media as base64 (single and group media sends, bulk jobs,
 * scheduled messages): their body limit follows MEDIA_MAX_BYTES. The route test in request-limits.int-spec.ts
 * fails when an operation with a base64 field is missing here.
 */
const MEDIA_BODY_ROUTES: readonly RegExp[] = [
  /^\/agents\/[^/]+\/media\/?$/,
  /^\/sessions\/[^/]+\/groups\/[^/]+\/media\/?$/,
  /^\/sessions\/[^/]+\/jobs\/?$/,
  /^\/sessions\/[^/]+\/schedules\/?$/,
];

export const carriesMedia = (path: string): boolean => MEDIA_BODY_ROUTES.some((route) => route.test(path));

/** Form bodies are flat: a handful of fields, never the thousands a parameter flood sends. */
const FORM_PARAMETER_LIMIT = 100;

/**
 * Body limits for every route: JSON and URL-encoded bodies above `defaultLimit` bytes are refused
 * (413) before they are read into memory, except on the media routes, which take `maxMediaBytes`
 * of base64. Multipart bodies are parsed only on upload routes, by multer with its own limits.
 * Registered before Nest's defaults, which it then skips.
 */
export function applyBodyLimits(app: NestExpressApplication, limits: { defaultLimit: number; maxMediaBytes: number }): void {
  // body-parser hands its `type` test the Express request it runs in.
  const isJson = (message: IncomingMessage): boolean => Boolean((message as Request).is(['application/json', 'application/*+json']));
  const isMediaJson = (message: IncomingMessage): boolean => isJson(message) && carriesMedia((message as Request).path);
  app.useBodyParser('json', { limit: mediaJsonBodyLimit(limits.maxMediaBytes), type: isMediaJson });
  app.useBodyParser('json', { limit: limits.defaultLimit, type: isJson });
  app.useBodyParser('urlencoded', { limit: limits.defaultLimit, extended: true, parameterLimit: FORM_PARAMETER_LIMIT });
}
