import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { CoreConfig, type LogFormat } from '@app/config';
import { chooseLogFormat } from './log-format';
import { prettyLogStream } from './pretty-log.stream';
import { resolveTraceId, TRACE_ID_HEADER } from './trace-id';

/** Headers that carry credentials: never logged. */
const REDACTED = ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]'];

/** Query parameters that carry credentials (the live-events ticket): logged as [redacted]. */
const SECRET_QUERY_PARAMS = /([?&]ticket=)[^&#]*/g;
export const redactUrl = (url: string): string => url.replace(SECRET_QUERY_PARAMS, '$1[redacted]');

const QUIET_PATHS = new Set(['/metrics', '/health']);

function traceIdFor(req: IncomingMessage, res: ServerResponse): string {
  const traceId = resolveTraceId(req.headers);
  res.setHeader(TRACE_ID_HEADER, traceId);
  return traceId;
}

/** pino-http's options as they are (JSON lines on stdout), or with the stream of readable lines. */
function inFormat(format: LogFormat, options: Options): Options | [Options, DestinationStream] {
  return chooseLogFormat(format, process.stdout.isTTY === true) === 'pretty' ? [options, prettyLogStream()] : options;
}

interface RpcPayloadWithTrace {
  traceId?: unknown;
}

/**
 * pino logs for one app: every line carries `service`; HTTP lines carry the request's `traceId`
 * (also echoed as `x-request-id`), and worker command handlers bind the traceId the gateway sent
 * with the command. JSON lines unless LOG_FORMAT asks for readable ones.
 */
@Module({})
export class LoggingModule {
  static forApp(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [CoreConfig],
          useFactory: (config: CoreConfig) => ({
            pinoHttp: inFormat(config.LOG_FORMAT, {
              level: config.LOG_LEVEL,
              base: { service, pid: process.pid },
              genReqId: traceIdFor,
              customProps: (req: IncomingMessage & { id?: unknown }) => ({ traceId: req.id }),
              redact: { paths: REDACTED, censor: '[redacted]' },
              autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has((req.url ?? '').split('?')[0] ?? '') },
              customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
                error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
              serializers: {
                req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
            }),
            microservice: {
              useLevel: 'debug',
              customProps: (context) => {
                const data = context.switchToRpc().getData<RpcPayloadWithTrace | undefined>();
                return typeof data?.traceId === 'string' ? { traceId: data.traceId } : {};
              },
            },
          }),
        }),
      ],
    };
  }
}
