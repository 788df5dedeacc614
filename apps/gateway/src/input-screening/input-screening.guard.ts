import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { screenInput } from './input-screen';

/**
 * The first global guard: before authentication, rate limiting, interceptors (idempotency
 * fingerprints, uploads), validation or any handler read the request, its path parameters, query
 * and JSON body are screened for what can never be valid (see input-screen.ts). Multipart fields,
 * parsed later by the upload interceptor, are screened there with the same rules.
 */
@Injectable()
export class InputScreeningGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    screenInput({ path: request.params, query: request.query, body: request.body });
    return true;
  }
}
