import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import type { ErrorEnvelope } from '@app/contracts';
import { resolveTraceId, routeTemplate, TRACE_ID_HEADER } from '@app/observability';
import { mapException } from './exception-mapping';

/**
 * The gateway's only exception filter: every error leaves in the envelope with the request's
 * traceId. Unexpected errors are logged with their stack and answered with a generic message;
 * neither the request nor the stack is ever echoed.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext(AppExceptionFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: unknown }>();
    const response = http.getResponse<Response>();
    const traceId = typeof request.id === 'string' ? request.id : resolveTraceId(request.headers);
    const mapped = mapException(exception);
    if (mapped.unexpected) {
      this.logger.error({ err: exception, traceId, method: request.method, route: routeTemplate(request) }, 'unhandled error');
    }
    const body: ErrorEnvelope = {
      error: { code: mapped.code, message: mapped.message, traceId, ...(mapped.details ? { details: mapped.details } : {}) },
    };
    if (response.headersSent) return;
    response.setHeader(TRACE_ID_HEADER, traceId);
    // A limiter that computed its own wait (the rate limit) has set the header already.
    if (mapped.retryAfterSeconds !== undefined && !response.getHeader('retry-after')) response.setHeader('Retry-After', String(mapped.retryAfterSeconds));
    response.status(mapped.status).json(body);
  }
}
