import type { Duplex } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ErrorEnvelope } from '@app/contracts';
import { newTraceId, TRACE_ID_HEADER } from '@app/observability';

/** Node's parser errors for requests that are too big in their head rather than malformed. */
const HEAD_TOO_LARGE = new Set(['HPE_HEADER_OVERFLOW', 'HPE_URI_OVERFLOW']);

/**
 * Requests Node's HTTP parser refuses before any middleware sees them (control characters in a
 * header, a broken request line, an oversized head) are answered in the error envelope too, not
 * with Node's bare `400 Bad Request`, and the connection is closed.
 */
export function answerMalformedRequests(app: NestExpressApplication): void {
  const server = app.getHttpServer();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const traceId = newTraceId();
    const message = HEAD_TOO_LARGE.has(error.code ?? '') ? 'Request line or headers are too large' : 'Malformed HTTP request';
    const envelope: ErrorEnvelope = { error: { code: 'INVALID_PAYLOAD', message, traceId } };
    const body = JSON.stringify(envelope);
    socket.end(
      'HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n' +
        `${TRACE_ID_HEADER}: ${traceId}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}
