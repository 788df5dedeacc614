'use strict';
/**
 * Server-level operations that need no schema engine at all: checking that the database can be
 * reached, creating it, dropping it. The CLI runs these as one-shot commands
 * (`schema-engine --datasource … cli create-database`), e.g. `migrate deploy` onto a database that
 * does not exist yet.
 */

const pg = require('pg');
const { databaseName, pgConfig, quoteIdentifier, withDatabase } = require('./connection-url');
const { toEngineError } = require('./database-errors');

/** Databases that exist on every PostgreSQL server, to connect to when the target does not exist yet. */
const MAINTENANCE_DATABASES = ['postgres', 'template1'];

async function withClient(connectionUrl, work) {
  const client = new pg.Client(pgConfig(connectionUrl));
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Resolves when the database answers; throws a user-facing EngineError (P1001, P1003, …) otherwise. */
async function canConnect(connectionUrl) {
  try {
    await withClient(connectionUrl, (client) => client.query('SELECT 1'));
  } catch (error) {
    throw toEngineError(error, connectionUrl);
  }
}

/** Runs `work` on a maintenance database of the URL's server (the first one that accepts us). */
async function withMaintenanceClient(connectionUrl, work) {
  let lastError;
  for (const database of MAINTENANCE_DATABASES) {
    try {
      return await withClient(withDatabase(connectionUrl, database), work);
    } catch (error) {
      lastError = error;
      if (error?.code !== '3D000' && error?.code !== '28000') break; // only "no such/forbidden database" is worth another try
    }
  }
  throw lastError;
}

/** Creates the database named in the URL; returns its name. */
async function createDatabase(connectionUrl) {
  const name = databaseName(connectionUrl);
  try {
    await withMaintenanceClient(connectionUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
    return name;
  } catch (error) {
    throw toEngineError(error, connectionUrl);
  }
}

/** Drops the database named in the URL. */
async function dropDatabase(connectionUrl) {
  const name = databaseName(connectionUrl);
  try {
    await withMaintenanceClient(connectionUrl, (client) => client.query(`DROP DATABASE ${quoteIdentifier(name)}`));
    return name;
  } catch (error) {
    throw toEngineError(error, connectionUrl);
  }
}

module.exports = { canConnect, createDatabase, dropDatabase };
