'use strict';
/**
 * The database side of the wasm schema engine: a "migration-aware driver adapter factory" (main
 * database + shadow database) built on the official @prisma/adapter-pg, with the fixes the
 * migration workload needs:
 *
 * - catalog columns of type `"char"` (OID 18, e.g. pg_class.relkind) are reported as text —
 *   adapter-pg rejects that type, and the engine's introspection queries read it;
 * - a migration script runs as ONE simple-protocol query, as the native engine does: adapter-pg's
 *   executeScript splits on every ";" (breaking `$$` function bodies and string literals) and
 *   runs the pieces outside any transaction, so a failing script would be half-applied;
 * - the shadow database gets its own pool built from the URL's parts, the pool is closed before
 *   the database is dropped, and the drop uses WITH (FORCE) so a lingering backend cannot keep it;
 * - every pool uses `allowExitOnIdle`, so finished commands do not wait for idle timeouts.
 */

const { randomUUID } = require('node:crypto');
const pg = require('pg');
const { PrismaPg } = require('@prisma/adapter-pg');
const { databaseName, parseDatasourceUrl, pgConfig, quoteIdentifier, schemaName, serverLabel, withDatabase } = require('./connection-url');
const { describeAdapterError, toDriverAdapterError } = require('./database-errors');

const PG_TYPE_CHAR = 18; // "char", the one-byte catalog type
const PG_TYPE_NAME = 19; // name (identifiers in catalogs)
const PG_TYPE_TEXT = 25;
const SHADOW_DATABASE_PREFIX = 'prisma_migrate_shadow_db_';

/** Relabels catalog-only column types as text in a pg result (or multi-statement results). */
function relabelCatalogTypes(result) {
  for (const single of Array.isArray(result) ? result : [result]) {
    for (const field of single?.fields ?? []) {
      if (field.dataTypeID === PG_TYPE_CHAR || field.dataTypeID === PG_TYPE_NAME) field.dataTypeID = PG_TYPE_TEXT;
    }
  }
  return result;
}

/** pg client whose results never carry the catalog types adapter-pg cannot map. */
class CatalogTypesAsTextClient extends pg.Client {
  query(...args) {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error, result) => last(error, error ? result : relabelCatalogTypes(result));
      return super.query(...args);
    }
    const pending = super.query(...args);
    return typeof pending?.then === 'function' ? pending.then(relabelCatalogTypes) : pending;
  }
}

class OfflinePgAdapterFactory {
  provider = 'postgres';
  adapterName = '@prisma/adapter-pg';

  /**
   * @param {{ url: string, shadowDatabaseUrl?: string }} datasource
   */
  constructor(datasource) {
    this.url = datasource.url;
    this.shadowDatabaseUrl = datasource.shadowDatabaseUrl || undefined;
    /** The last migration script failure (SQLSTATE, message), for P3018 reports. */
    this.lastScriptError = undefined;
    /** Throwaway shadow databases currently alive: name → drop function. */
    this.liveShadowDatabases = new Map();
    parseDatasourceUrl(this.url);
  }

  async connect() {
    return this.#connectAdapter(this.url);
  }

  async connectToShadowDb() {
    try {
      return this.shadowDatabaseUrl ? await this.#connectToConfiguredShadow() : await this.#connectToThrowawayShadow();
    } catch (error) {
      throw toDriverAdapterError(error);
    }
  }

  /** Drops the shadow databases still alive (used when the process is interrupted). */
  async dropLiveShadowDatabases() {
    await Promise.allSettled([...this.liveShadowDatabases.values()].map((drop) => drop()));
  }

  async #connectAdapter(connectionUrl) {
    const pool = new pg.Pool({ ...pgConfig(connectionUrl), Client: CatalogTypesAsTextClient });
    const adapter = await new PrismaPg(pool, { schema: schemaName(connectionUrl), disposeExternalPool: true }).connect();
    adapter.executeScript = async (script) => {
      try {
        // No bind values → pg uses the simple query protocol: the whole script is one implicit transaction.
        await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
        this.lastScriptError = undefined;
      } catch (error) {
        this.lastScriptError = describeAdapterError(error);
        throw error;
      }
    };
    return adapter;
  }

  /** Default: a new database on the same server, dropped when the engine is done with it. */
  async #connectToThrowawayShadow() {
    const name = `${SHADOW_DATABASE_PREFIX}${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client(pgConfig(this.url));
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    } catch (error) {
      await admin.end().catch(() => {});
      throw error;
    }
    let dropped;
    const drop = () => {
      dropped ??= dropDatabase(admin, name).finally(() => {
        this.liveShadowDatabases.delete(name);
        return admin.end().catch(() => {});
      });
      return dropped;
    };
    this.liveShadowDatabases.set(name, drop);
    let adapter;
    try {
      adapter = await this.#connectAdapter(withDatabase(this.url, name));
    } catch (error) {
      await drop();
      throw error;
    }
    const closePool = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await closePool(); // close our own connections first, then drop
      await drop();
    };
    return adapter;
  }

  /**
   * `shadowDatabaseUrl` in prisma.config.ts: a database reserved for this use (e.g. when the user
   * may not CREATE DATABASE). Like the native engine, the shim empties it before handing it over.
   */
  async #connectToConfiguredShadow() {
    if (databaseName(this.shadowDatabaseUrl) === databaseName(this.url) && serverLabel(this.shadowDatabaseUrl) === serverLabel(this.url)) {
      throw new Error('The shadow database URL points at the main database; it must be a separate, disposable database.');
    }
    const schema = quoteIdentifier(schemaName(this.shadowDatabaseUrl) ?? 'public');
    const admin = new pg.Client(pgConfig(this.shadowDatabaseUrl));
    await admin.connect();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    } finally {
      await admin.end().catch(() => {});
    }
    return this.#connectAdapter(this.shadowDatabaseUrl);
  }
}

async function dropDatabase(admin, name) {
  const quoted = quoteIdentifier(name);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
  } catch (error) {
    if (error?.code !== '42601') throw error; // PostgreSQL < 13 has no WITH (FORCE)
    await admin.query(`DROP DATABASE IF EXISTS ${quoted}`);
  }
}

module.exports = { OfflinePgAdapterFactory };
