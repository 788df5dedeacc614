import { applyDecorators, CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, UseInterceptors, type FactoryProvider } from '@nestjs/common';
import { ApiConsumes } from '@nestjs/swagger';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Observable } from 'rxjs';
import { SendingConfig } from '@app/config';
import { AppError } from '@app/contracts';
import { screenInput } from '../input-screening/input-screen';

/** The multipart field that carries the media file (seed 002 `file`). */
const MEDIA_FILE_FIELD = 'file';

/** multer's parser for one `file` field, in memory, with MEDIA_MAX_BYTES applied while parsing (other fields: 50 of at most 1 MiB). */
export const MEDIA_UPLOAD_PARSER = Symbol('MEDIA_UPLOAD_PARSER');

export const mediaUploadParserProvider: FactoryProvider<RequestHandler> = {
  provide: MEDIA_UPLOAD_PARSER,
  inject: [SendingConfig],
  useFactory: (config: SendingConfig) =>
    multer({ storage: multer.memoryStorage(), limits: { fileSize: config.MEDIA_MAX_BYTES, files: 1, fields: 50, parts: 51, fieldSize: 1024 * 1024 } }).single(
      MEDIA_FILE_FIELD,
    ),
};

function uploadError(error: unknown, maxBytes: number): AppError {
  if (error instanceof MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') {
      return new AppError('MEDIA_TOO_LARGE', `The uploaded file is larger than the limit of ${maxBytes} bytes`, { maxBytes });
    }
    if (error.code === 'LIMIT_UNEXPECTED_FILE') {
      return new AppError('INVALID_PAYLOAD', `Unexpected file field "${error.field}": upload one file as "${MEDIA_FILE_FIELD}"`, { field: error.field });
    }
    return new AppError('INVALID_PAYLOAD', `The multipart body was refused: ${error.message}`, { reason: error.code });
  }
  return new AppError('INVALID_PAYLOAD', `The multipart body could not be read: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Parses a multipart/form-data request's `file` field into `request.file` (read it with Nest's
 * `@UploadedFile()`) and its other fields into the body; other content types pass untouched, so
 * one route takes JSON (base64/url) and uploads alike. Oversize → 413 MEDIA_TOO_LARGE.
 */
@Injectable()
class MediaUploadInterceptor implements NestInterceptor {
  constructor(
    @Inject(MEDIA_UPLOAD_PARSER) private readonly parse: RequestHandler,
    private readonly config: SendingConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (request.is('multipart/form-data')) {
      await new Promise<void>((resolve, reject) =>
        this.parse(request, http.getResponse<Response>(), (error?: unknown) => (error ? reject(uploadError(error, this.config.MEDIA_MAX_BYTES)) : resolve())),
      );
      // The input screening guard ran before these fields existed.
      screenInput({ body: request.body });
    }
    return next.handle();
  }
}

/**
 * Lets a route accept the media as a multipart `file` besides JSON. The route's module must
 * import MediaModule. Put `@Idempotent()` above it, so the idempotency fingerprint sees the file.
 */
export const MediaUpload = () => applyDecorators(UseInterceptors(MediaUploadInterceptor), ApiConsumes('application/json', 'multipart/form-data'));
