import type { DestinationStream } from 'pino';
import { build } from 'pino-pretty';

interface HttpLogFields {
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/** Shown in the message (context, HTTP request) or already known to whoever reads the line (service, pid). */
const SHOWN_ELSEWHERE = ['pid', 'hostname', 'service', 'context', 'req', 'res', 'responseTime'];

function errorText(error: string | object): string {
  if (typeof error === 'string') return error;
  const { stack, message } = error as { stack?: string; message?: string };
  return stack ?? message ?? JSON.stringify(error);
}

function message(log: Record<string, unknown>, messageKey: string): string {
  const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
  const { req, res, responseTime } = log as HttpLogFields;
  if (req?.method && res?.statusCode !== undefined) return `${context}${req.method} ${req.url ?? ''} ${res.statusCode} (${responseTime ?? '?'} ms)`;
  const text = log[messageKey];
  return `${context}${typeof text === 'string' ? text : (JSON.stringify(text) ?? '')}`;
}

/**
 * One readable line per event, for people (LOG_FORMAT=pretty): local time, level, message, then the
 * event's remaining fields (traceId, sessionId …) as compact JSON. An error's stack follows on
 * indented lines. Written synchronously, so nothing is lost when a process exits on a fatal error.
 */
export function prettyLogStream(destination: number | NodeJS.WritableStream = 1): DestinationStream {
  return build({
    destination,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: SHOWN_ELSEWHERE.join(','),
    messageFormat: message,
    customPrettifiers: { err: errorText },
  });
}
