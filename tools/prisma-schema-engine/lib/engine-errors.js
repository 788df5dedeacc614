'use strict';
/**
 * Errors in the shapes the Prisma CLI expects from its schema engine.
 *
 * - JSON-RPC errors carry `data: { is_panic, message, error_code?, meta? }`; the CLI prints
 *   `error_code` + `message` for known errors (P1003, P3018, …) and the bare message otherwise.
 * - One-shot commands (`cli can-connect-to-database`, …) report through stderr lines in the
 *   native engine's tracing JSON format, with `level: "ERROR"` and `target: "schema_engine::logger"`.
 */

/** A user-facing error with a Prisma error code (code may be undefined for unknown errors). */
class EngineError extends Error {
  constructor(code, message, meta) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.meta = meta;
  }
}

const RPC_ERROR_CODE = 4466; // what the native engine uses for every application error

/**
 * The wasm engine appends a tracing span trace ("   0: sql_schema_connector::…") to unknown
 * errors; it helps engine developers, not users, so it is cut off.
 */
function withoutSpanTrace(message) {
  const lines = String(message ?? '').split('\n');
  const traceStart = lines.findIndex((line) => /^\s+\d+: [\w:]+::/.test(line));
  return (traceStart === -1 ? lines : lines.slice(0, traceStart)).join('\n').trimEnd();
}

/** Error payload of a JSON-RPC response. */
function toRpcError(error, panicMessage) {
  if (panicMessage !== undefined) {
    return {
      code: RPC_ERROR_CODE,
      message: 'The schema engine panicked.',
      data: { is_panic: true, message: panicMessage, error: { message: panicMessage }, backtrace: '' },
    };
  }
  const data = { is_panic: false, message: withoutSpanTrace(error?.message ?? String(error)) };
  if (typeof error?.code === 'string' && /^P\d{4}$/.test(error.code)) data.error_code = error.code;
  if (error?.meta) data.meta = error.meta;
  return { code: RPC_ERROR_CODE, message: 'An error happened. Check the data field for details.', data };
}

/**
 * P3018, the native engine's report of a migration script that failed. The wasm engine only says
 * "external connector error", so the shim rebuilds the report from the failing SQL error it saw.
 */
function migrationFailedError(migrationName, databaseError) {
  const code = databaseError?.code ?? 'N/A';
  const text = [databaseError?.message, databaseError?.detail && `DETAIL: ${databaseError.detail}`, databaseError?.hint && `HINT: ${databaseError.hint}`]
    .filter(Boolean)
    .join('\n');
  const message =
    'A migration failed to apply. New migrations cannot be applied before the error is recovered from. ' +
    'Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n' +
    `Migration name: ${migrationName}\n\nDatabase error code: ${code}\n\nDatabase error:\n${text}\n`;
  return new EngineError('P3018', message, {
    migration_name: migrationName,
    database_error_code: code,
    database_error: text,
  });
}

/** One stderr line in the native engine's log format. */
function logLine(level, message, extraFields = {}) {
  return JSON.stringify({
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...extraFields },
    target: 'schema_engine::logger',
  });
}

/** stderr lines for a failed one-shot command. */
function oneShotErrorLines(error) {
  const fields = {};
  if (typeof error?.code === 'string' && /^P\d{4}$/.test(error.code)) fields.error_code = error.code;
  return [logLine('ERROR', withoutSpanTrace(error?.message ?? String(error)), fields)];
}

module.exports = { EngineError, logLine, migrationFailedError, oneShotErrorLines, toRpcError };
