import { ArgumentsHost, BadRequestException, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { Response } from 'express';
import { SimError } from '../common/sim-error';

export interface ErrorEnvelope {
  error: { code: string; message: string; details?: string[] };
}

/** Every control API error as `{ error: { code, message } }`, like the gateway's envelope. */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('ControlApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, envelope] = this.describe(exception);
    response.status(status).json(envelope);
  }

  private describe(exception: unknown): [number, ErrorEnvelope] {
    if (exception instanceof SimError) {
      return [exception.status, { error: { code: exception.code, message: exception.message } }];
    }
    if (exception instanceof InvalidPayloadException) {
      return [400, { error: { code: 'INVALID_PAYLOAD', message: 'request validation failed', details: exception.details } }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return [status, { error: { code: status === 404 ? 'NOT_FOUND' : `HTTP_${status}`, message: exception.message } }];
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    return [500, { error: { code: 'INTERNAL', message: 'internal error' } }];
  }
}

export class InvalidPayloadException extends BadRequestException {
  constructor(readonly details: string[]) {
    super(details.join('; '));
  }
}

/** ValidationPipe's exceptionFactory: flattens class-validator errors into readable lines. */
export function invalidPayload(errors: ValidationError[]): InvalidPayloadException {
  const lines = (list: ValidationError[], prefix = ''): string[] =>
    list.flatMap((error) => [
      ...Object.values(error.constraints ?? {}).map((reason) => `${prefix}${reason}`),
      ...lines(error.children ?? [], `${prefix}${error.property}.`),
    ]);
  return new InvalidPayloadException(lines(errors));
}
