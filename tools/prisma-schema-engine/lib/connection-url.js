'use strict';
/**
 * Reading the PostgreSQL connection URL that the Prisma CLI hands to the schema engine.
 *
 * Other connections (shadow database, server-level "admin" connection) are derived from the URL's
 * parts — same server and credentials, another database name — rather than by passing an extra
 * `database` option next to the connection string: pg lets the string win, so such a "shadow"
 * pool silently points at the main database (adapter-pg's own shadow support has exactly that bug).
 */

const { EngineError } = require('./engine-errors');

const DEFAULT_PORT = '5432';

/** Parses and validates a datasource URL; throws an EngineError (P1013) when it is unusable. */
function parseDatasourceUrl(url) {
  if (!url) {
    throw new EngineError(undefined, 'The datasource URL is empty. Set DATABASE_URL (prisma.config.ts reads it) before running migrations.');
  }
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl('the URL cannot be parsed');
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw invalidUrl(`the offline schema engine only supports PostgreSQL, not "${parsed.protocol}"`);
  }
  return parsed;
}

function invalidUrl(details) {
  return new EngineError(
    'P1013',
    `The provided database string is invalid. ${details}. Please refer to the documentation in ` +
      'https://www.prisma.io/docs/reference/database-reference/connection-urls for constructing a correct connection string.',
  );
}

/** The database the URL points at (PostgreSQL defaults it to the user name when absent). */
function databaseName(url) {
  const parsed = parseDatasourceUrl(url);
  const fromPath = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return fromPath || decodeURIComponent(parsed.username) || 'postgres';
}

/** The `?schema=` parameter Prisma URLs may carry (defaults to PostgreSQL's `public`). */
function schemaName(url) {
  return parseDatasourceUrl(url).searchParams.get('schema') ?? undefined;
}

/** The same URL pointing at another database of the same server. */
function withDatabase(url, database) {
  const parsed = parseDatasourceUrl(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** "host:port" for messages, in the style of the native engine's errors. */
function serverLabel(url) {
  const parsed = parseDatasourceUrl(url);
  const socketHost = parsed.searchParams.get('host');
  if (!parsed.hostname && socketHost) return socketHost;
  return `${parsed.hostname || 'localhost'}:${parsed.port || DEFAULT_PORT}`;
}

function userName(url) {
  return decodeURIComponent(parseDatasourceUrl(url).username) || 'postgres';
}

/**
 * pg settings for a URL. `allowExitOnIdle` matters: without it idle pooled connections keep the
 * process alive for pg's 10 s idle timeout after every CLI command.
 */
function pgConfig(url) {
  const config = { connectionString: parseDatasourceUrl(url).toString(), allowExitOnIdle: true };
  const schema = schemaName(url);
  // Prisma migrations name tables without a schema: follow `?schema=` like the native engine does.
  if (schema) config.options = `-c search_path=${quoteIdentifier(schema)}`;
  return config;
}

/** Double-quotes an SQL identifier (database and schema names come from URLs and config). */
function quoteIdentifier(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

module.exports = {
  databaseName,
  parseDatasourceUrl,
  pgConfig,
  quoteIdentifier,
  schemaName,
  serverLabel,
  userName,
  withDatabase,
};
