import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { catchError, from, mergeMap, of, throwError, type Observable } from 'rxjs';
import { AppError } from '@app/contracts';
import { idempotencyScope, readIdempotencyKey, requestFingerprint, type IdempotentRequest } from './idempotency.fingerprint';
import { IdempotencyService, type IdempotencyClaimHandle } from './idempotency.service';

/** Set on replayed answers, so a client can tell a replay from a first run. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Applies IdempotencyService around a route handler (see @Idempotent()). Only answers of handlers
 * that returned normally are kept; a thrown error (4xx or 5xx) frees the key, since a send route
 * that failed has accepted nothing.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(IdempotencyInterceptor.name);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<IdempotentRequest>();
    const response = http.getResponse<Response>();
    const key = readIdempotencyKey(request);
    if (key === undefined) return next.handle();
    if (request.is('multipart/form-data') && request.body === undefined) {
      // The body is parsed by the upload interceptor, which must run first to be fingerprinted.
      throw new Error('@Idempotent() must be placed above @MediaUpload() on multipart routes');
    }
    const started = await this.idempotency.start(idempotencyScope(request), key, requestFingerprint(request)).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'CONFLICT') response.setHeader('retry-after', '1');
      throw error;
    });
    if (started.action === 'replay') {
      response.status(started.statusCode).setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
      return of(started.body);
    }
    request.idempotencyKey = key;
    const claim = started.claim;
    return next.handle().pipe(
      mergeMap((body) => from(this.keep(claim, response.statusCode, body))),
      catchError((error: unknown) => from(this.idempotency.abandon(claim)).pipe(mergeMap(() => throwError(() => error)))),
    );
  }

  /** Stores the answer as it goes out; a storage failure never fails a request that did its work. */
  private async keep(claim: IdempotencyClaimHandle, statusCode: number, body: unknown): Promise<unknown> {
    try {
      const kept = await this.idempotency.finish(claim, statusCode, body);
      if (!kept) this.logger.warn({ idempotencyKey: claim.key }, 'idempotency claim was taken over before the request finished');
    } catch (error) {
      // Retries get 409 until IDEMPOTENCY_LOCK_TIMEOUT_MS, then run again: the sends' own keys stop a double send.
      this.logger.error({ err: error, idempotencyKey: claim.key }, 'idempotent answer not stored');
    }
    return body;
  }
}
