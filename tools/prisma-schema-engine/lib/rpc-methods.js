'use strict';
/**
 * The schema engine's JSON-RPC methods as the Prisma CLI calls them, forwarded to the wasm engine.
 * Most map one to one; the differences between the native binary and the wasm build are bridged
 * here:
 *
 * - `diff`: the native engine writes its output by sending a `print` request to the CLI and only
 *   returns the exit code; the wasm build returns the text instead.
 * - `evaluateDataLoss` reads the shadow-database schema of the migrations from a cache that only
 *   `devDiagnostic` fills (unlike the native engine, it cannot build a shadow database itself and
 *   fails with "shadow DB must be provided through an external factory"). `migrate dev` applies
 *   pending migrations between the two calls, which makes the cached entry stale, so the shim
 *   refreshes it by running `devDiagnostic` again first.
 * - a failing migration script comes back as an anonymous "external connector error": it is
 *   turned back into the native P3018 report (migration name, SQLSTATE, database message).
 * - `createDatabase` and `dbExecute` on an explicit URL need no engine: they go through pg.
 */

const pg = require('pg');
const { EngineError, migrationFailedError } = require('./engine-errors');
const { toEngineError } = require('./database-errors');
const { createDatabase } = require('./database-admin');
const { pgConfig } = require('./connection-url');
const { createWasmEngine } = require('./wasm-engine');

/**
 * @param {{
 *   datasource: { url: string, shadowDatabaseUrl?: string },
 *   datamodels: Array<[string, string]> | undefined,
 *   adapterFactory: import('./pg-adapter-factory').OfflinePgAdapterFactory,
 *   writeLog: (line: string) => void,
 * }} context
 */
function createRpcMethods({ datasource, datamodels, adapterFactory, writeLog }) {
  let enginePromise;
  let shadowSchemaCacheIsFresh = false;
  let migrationBeingApplied;

  const onLog = (line) => {
    // The engine logs "Applying `<name>`" before each script: remember it for P3018 reports.
    const applying = /"message":"Applying `([^`]+)`"/.exec(line);
    if (applying) migrationBeingApplied = applying[1];
    writeLog(line);
  };

  /** The wasm engine connects on creation, so it is created on first use (and retried after a failure). */
  const engine = () => {
    enginePromise ??= createWasmEngine({ datamodels, adapterFactory, onLog }).catch((error) => {
      enginePromise = undefined;
      throw error;
    });
    return enginePromise;
  };

  const forward = (method) => async (params) => (await engine())[method](params);

  return {
    applyMigrations: async (params) => {
      migrationBeingApplied = undefined;
      adapterFactory.lastScriptError = undefined;
      try {
        const result = await (await engine()).applyMigrations(params);
        if (result.appliedMigrationNames.length > 0) shadowSchemaCacheIsFresh = false;
        return result;
      } catch (error) {
        if (!error?.code && migrationBeingApplied && adapterFactory.lastScriptError) {
          throw migrationFailedError(migrationBeingApplied, adapterFactory.lastScriptError);
        }
        throw error;
      }
    },
    createMigration: forward('createMigration'),
    devDiagnostic: async (params) => {
      const result = await (await engine()).devDiagnostic(params);
      shadowSchemaCacheIsFresh = true;
      return result;
    },
    diagnoseMigrationHistory: forward('diagnoseMigrationHistory'),
    evaluateDataLoss: async (params) => {
      const wasm = await engine();
      if (!shadowSchemaCacheIsFresh) {
        await wasm.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
        shadowSchemaCacheIsFresh = true;
      }
      return wasm.evaluateDataLoss(params);
    },
    markMigrationApplied: forward('markMigrationApplied'),
    markMigrationRolledBack: forward('markMigrationRolledBack'),
    reset: forward('reset'),
    schemaPush: forward('schemaPush'),
    introspect: forward('introspect'),
    introspectSql: forward('introspectSql'),
    ensureConnectionValidity: forward('ensureConnectionValidity'),
    getDatabaseVersion: async () => (await engine()).version(),
    debugPanic: async () => (await engine()).debugPanic(),

    diff: async (params, client) => {
      const { exitCode, stdout } = await (await engine()).diff(params);
      // The CLI prints the content followed by a newline; the engine's text already ends with one.
      if (stdout) await client.request('print', { content: stdout.replace(/\n$/, '') });
      return { exitCode };
    },

    createDatabase: async (params) => {
      const target = params?.datasource?.tag === 'ConnectionString' ? params.datasource.url : datasource.url;
      return { databaseName: await createDatabase(target) };
    },

    dbExecute: async (params) => {
      const source = params?.datasourceType;
      if (source?.tag === 'url') return executeOnUrl(source.url, params.script);
      await (await engine()).dbExecute(params);
      return null;
    },

    getDatabaseDescription: async () => {
      throw new EngineError(undefined, 'getDatabaseDescription is not available in the offline (wasm) schema engine.');
    },
  };
}

/** `prisma db execute --url …`: the script runs as one query on that database. */
async function executeOnUrl(connectionUrl, script) {
  const client = new pg.Client(pgConfig(connectionUrl));
  try {
    await client.connect();
    await client.query(script);
    return null;
  } catch (error) {
    throw toEngineError(error, connectionUrl);
  } finally {
    await client.end().catch(() => {});
  }
}

module.exports = { createRpcMethods };
