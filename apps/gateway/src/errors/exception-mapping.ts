import { HttpException, HttpStatus } from '@nestjs/common';
import { AppError, retryAfterSecondsOf, type ErrorCode } from '@app/contracts';
import { storageFaultOf } from '@app/db';
import { redisFaultOf } from '@app/redis';

export interface MappedError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  /** Unexpected failures are logged with their stack; expected ones are not. */
  unexpected: boolean;
  /** Seconds for the Retry-After header: set on every error a retry can cure. */
  retryAfterSeconds?: number;
}

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'INVALID_PAYLOAD',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHORIZED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'MEDIA_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

/** Errors raised by Express' body parser before any Nest code runs. */
interface BodyParserError {
  type: string;
  status: number;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string' && typeof (error as BodyParserError).status === 'number';

function mapBodyParserError(error: BodyParserError): MappedError {
  if (error.type === 'entity.too.large') {
    return { status: 413, code: 'MEDIA_TOO_LARGE', message: 'Request body is larger than the configured limit', unexpected: false };
  }
  const message = error.type === 'entity.parse.failed' ? 'Request body is not valid JSON' : 'Request body could not be read';
  return { status: 400, code: 'INVALID_PAYLOAD', message, unexpected: false };
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function mapAppError(error: AppError): MappedError {
  const retryAfterSeconds = retryAfterSecondsOf(error.code, error.details);
  return {
    status: error.httpStatus,
    code: error.code,
    message: error.message,
    details: error.details,
    unexpected: false,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
}

/**
 * Maps anything thrown while serving a request onto the error envelope's status, code and message.
 * Failures of PostgreSQL and Redis are translated by their own libraries (an unreachable one is a
 * 503 with Retry-After; a missing reference or a duplicate names the field).
 */
export function mapException(exception: unknown): MappedError {
  if (exception instanceof AppError) return mapAppError(exception);
  const dependencyFault = storageFaultOf(exception) ?? redisFaultOf(exception);
  if (dependencyFault) return mapAppError(dependencyFault);
  // Express' body parser failures arrive wrapped in an HttpException; their messages can quote
  // the request body, so they get fixed messages instead.
  const bodyError = exception instanceof HttpException ? exception.cause : exception;
  if (isBodyParserError(bodyError)) return mapBodyParserError(bodyError);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = CODE_BY_STATUS[status];
    if (code) return { status, code, message: messageOf(exception), unexpected: false };
    if (status < 500) return { status, code: 'INVALID_PAYLOAD', message: messageOf(exception), unexpected: false };
  }
  return { status: 500, code: 'INTERNAL', message: 'Internal server error', unexpected: true };
}
