import { applyDecorators, createParamDecorator, UseInterceptors, type ExecutionContext } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import type { IdempotentRequest } from './idempotency.fingerprint';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * The route accepts an optional `Idempotency-Key` header: a retried request with the same key
 * gets the first answer instead of running again. The route's module must import
 * IdempotencyModule. On upload routes put it above `@MediaUpload()`.
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any unique string (a UUID, say), at most 255 characters. Retrying with the same key and the same request returns the ' +
        'first answer (with `Idempotent-Replayed: true`) and never sends twice; keys are kept 24 h per caller. The same key with ' +
        'a different request → 422 IDEMPOTENCY_KEY_REUSED; while the first request still runs → 409 CONFLICT with Retry-After. ' +
        'A request that failed does not use the key up.',
      schema: { type: 'string', maxLength: 255, example: '5f0e2b9c-6a53-4a9e-9d43-2f2d1b1f7c11' },
    }),
    ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'A request with the same Idempotency-Key is still running' }),
    ApiUnprocessableEntityResponse({ type: ErrorEnvelopeDto, description: 'IDEMPOTENCY_KEY_REUSED: the key was used for a different request' }),
  );

/** The request's Idempotency-Key inside an @Idempotent() handler (undefined when none was sent). */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest<IdempotentRequest>().idempotencyKey,
);
