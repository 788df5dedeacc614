import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { resolveTraceId } from '@app/observability';

/** The current request's trace id (assigned by the logger middleware, echoed as x-request-id). */
export const TraceId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Request & { id?: unknown }>();
  return typeof request.id === 'string' ? request.id : resolveTraceId(request.headers);
});
