'use strict';
/**
 * Translating errors raised by `pg` (server errors and socket errors) for the two audiences that
 * receive them: the Prisma CLI (user-facing P10xx codes, worded like the native engine) and the
 * wasm engine (driver-adapter errors, which it knows how to render).
 */

const { DriverAdapterError } = require('@prisma/driver-adapter-utils');
const { EngineError } = require('./engine-errors');
const { databaseName, serverLabel, userName } = require('./connection-url');

const UNREACHABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

const isServerError = (error) => typeof error?.code === 'string' && typeof error?.severity === 'string';

/** A user-facing EngineError for a failure while talking to the server at `url`. */
function toEngineError(error, url) {
  if (error instanceof EngineError) return error;
  const server = serverLabel(url);
  if (UNREACHABLE_SOCKET_CODES.has(error?.code)) {
    return new EngineError('P1001', `Can't reach database server at \`${server}\`\n\nPlease make sure your database server is running at \`${server}\`.`);
  }
  switch (isServerError(error) ? error.code : undefined) {
    case '3D000':
      return new EngineError('P1003', `Database \`${databaseName(url)}\` does not exist on the database server at \`${server}\`.`);
    case '28P01':
    case '28000':
      return new EngineError(
        'P1000',
        `Authentication failed against database server, the provided database credentials for \`${userName(url)}\` are not valid.\n\n` +
          `Please make sure to provide valid database credentials for the database server at \`${server}\`.`,
      );
    case '42P04':
      return new EngineError('P1009', `Database \`${databaseName(url)}\` already exists on the database server at \`${server}\``);
    case '42501':
      return new EngineError('P1010', `User \`${userName(url)}\` was denied access on the database \`${databaseName(url)}\`: ${error.message}`);
    default:
      return new EngineError(undefined, isServerError(error) ? `${error.message} (SQLSTATE ${error.code})` : String(error?.message ?? error));
  }
}

/**
 * A DriverAdapterError for errors the shim itself raises on adapter calls (e.g. creating the
 * shadow database), so the wasm engine renders them instead of an opaque "GenericJs" error.
 */
function toDriverAdapterError(error) {
  if (error?.name === 'DriverAdapterError') return error;
  if (isServerError(error)) {
    return new DriverAdapterError({
      kind: 'postgres',
      code: error.code,
      severity: error.severity,
      message: error.message,
      detail: error.detail,
      column: error.column,
      hint: error.hint,
    });
  }
  if (UNREACHABLE_SOCKET_CODES.has(error?.code)) {
    return new DriverAdapterError({ kind: 'DatabaseNotReachable', host: error.address ?? error.hostname, port: error.port });
  }
  // Any other error would reach the user as an opaque "External error id#0": keep its message.
  return new DriverAdapterError({ kind: 'postgres', code: 'N/A', severity: 'ERROR', message: String(error?.message ?? error) });
}

/**
 * The SQLSTATE and text of a failure as adapter-pg reports it (its mapped errors keep the
 * original code and message next to the mapped kind).
 */
function describeAdapterError(error) {
  const cause = error?.cause ?? {};
  return {
    code: cause.originalCode ?? cause.code,
    message: cause.originalMessage ?? cause.message ?? error?.message,
    detail: cause.detail,
    hint: cause.hint,
  };
}

module.exports = { describeAdapterError, toDriverAdapterError, toEngineError };
