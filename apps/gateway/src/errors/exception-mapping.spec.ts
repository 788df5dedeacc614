import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { AppError } from '@app/contracts';
import { mapException } from './exception-mapping';

describe('mapException', () => {
  it('keeps the code, status and details of an AppError', () => {
    const mapped = mapException(new AppError('SESSION_NOT_FOUND', 'Session a1 does not exist', { sessionId: 'a1' }));
    expect(mapped).toEqual({ status: 404, code: 'SESSION_NOT_FOUND', message: 'Session a1 does not exist', details: { sessionId: 'a1' }, unexpected: false });
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(mapException(new NotFoundException('Cannot GET /x'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(mapException(new HttpException('slow down', 429))).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });

  it('answers invalid JSON without quoting the body', () => {
    const parserError = Object.assign(new SyntaxError('Unexpected token p in "{password:1}"'), { type: 'entity.parse.failed', status: 400 });
    const mapped = mapException(new BadRequestException(parserError.message, { cause: parserError }));
    expect(mapped).toMatchObject({ status: 400, code: 'INVALID_PAYLOAD', message: 'Request body is not valid JSON' });
    expect(mapped.message).not.toContain('password');
  });

  it('maps an oversized body to MEDIA_TOO_LARGE', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });
    expect(mapException(new PayloadTooLargeException('too large', { cause: tooLarge }))).toMatchObject({ status: 413, code: 'MEDIA_TOO_LARGE' });
  });

  it('hides unknown errors behind a generic 500 and flags them for logging', () => {
    const mapped = mapException(new TypeError('cannot read x of undefined at /srv/app.js:10'));
    expect(mapped).toEqual({ status: 500, code: 'INTERNAL', message: 'Internal server error', unexpected: true });
  });
});
