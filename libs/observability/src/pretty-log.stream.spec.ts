import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import pino from 'pino';
import { prettyLogStream } from './pretty-log.stream';

/** A pino logger as the apps build it (service and pid on every line), writing through the pretty stream. */
function prettyLogger() {
  const lines: string[] = [];
  let pending = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      lines.push(...complete.map((line) => stripVTControlCharacters(line)));
      done();
    },
  });
  const logger = pino({ base: { service: 'gateway', pid: 4242 } }, prettyLogStream(sink));
  return { logger, lines };
}

const TIME_AND_LEVEL = String.raw`^\[\d{2}:\d{2}:\d{2}\.\d{3}\]`;

describe('readable log lines (LOG_FORMAT=pretty)', () => {
  it('prints one line per event: local time, level, the context in brackets and the message', () => {
    const { logger, lines } = prettyLogger();
    logger.info({ context: 'NestApplication' }, 'Nest application successfully started');
    logger.warn({ sessionId: 'demo', component: 'baileys' }, 'connection closed');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`${TIME_AND_LEVEL} INFO: \\[NestApplication\\] Nest application successfully started$`));
    expect(lines[1]).toMatch(new RegExp(`${TIME_AND_LEVEL} WARN: connection closed \\{"sessionId":"demo","component":"baileys"\\}$`));
  });

  it('writes an HTTP request as method, path, status and duration, keeping its trace id', () => {
    const { logger, lines } = prettyLogger();
    logger.info({ req: { method: 'POST', url: '/agents/demo/messages' }, res: { statusCode: 201 }, responseTime: 12, traceId: 'trace-1' }, 'request completed');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`${TIME_AND_LEVEL} INFO: POST /agents/demo/messages 201 \\(12 ms\\) \\{"traceId":"trace-1"\\}$`))]);
  });

  it('leaves out what the reader already knows: service, pid and host', () => {
    const { logger, lines } = prettyLogger();
    logger.info('ready');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`${TIME_AND_LEVEL} INFO: ready$`))]);
  });

  it("follows an error's line with its stack, indented", () => {
    const { logger, lines } = prettyLogger();
    const error = new Error('database unreachable');
    logger.error({ err: error, traceId: 'trace-2' }, 'request failed');
    expect(lines[0]).toMatch(new RegExp(`${TIME_AND_LEVEL} ERROR: request failed \\{"traceId":"trace-2"\\}$`));
    expect(lines[1]).toBe('    err: Error: database unreachable');
    expect(lines.slice(2).length).toBeGreaterThan(0);
    for (const line of lines.slice(2)) expect(line).toMatch(/^ {8}at /);
  });
});
