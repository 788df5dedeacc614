#!/usr/bin/env node
'use strict';
/**
 * Offline stand-in for Prisma's native `schema-engine` binary (see README.md).
 *
 * Prisma 7's CLI spawns the binary named by PRISMA_SCHEMA_ENGINE_BINARY for every migrate / db
 * command. The native binary is downloaded on first use, which fails without internet; this
 * script speaks the same protocol and runs the official WebAssembly build of the same engine
 * (@prisma/schema-engine-wasm) against PostgreSQL through @prisma/adapter-pg, all from node_modules.
 */

const { parseArguments, readDatamodels } = require('./lib/arguments');
const { EngineError, logLine, oneShotErrorLines, toRpcError } = require('./lib/engine-errors');
const { canConnect, createDatabase, dropDatabase } = require('./lib/database-admin');
const { OfflinePgAdapterFactory } = require('./lib/pg-adapter-factory');
const { createRpcMethods } = require('./lib/rpc-methods');
const { serveJsonRpc } = require('./lib/rpc-server');
const { panicMessageFor, wasmEngineVersion } = require('./lib/wasm-engine');

const ONE_SHOT_COMMANDS = {
  'can-connect-to-database': canConnect,
  'create-database': createDatabase,
  'drop-database': dropDatabase,
};

const writeStderr = (line) => process.stderr.write(`${line.replace(/\n+$/, '')}\n`);

function requireUrl(datasource) {
  if (!datasource?.url) {
    throw new EngineError(undefined, 'The offline schema engine needs the datasource URL: set DATABASE_URL (read by prisma.config.ts).');
  }
  return datasource.url;
}

/** `cli <command>`: exit 0 on success; on failure exit 1 with tracing-style lines on stderr. */
async function runOneShot(command, datasource) {
  // The CLI discards the first stderr line of one-shot commands (the native engine's start-up log).
  writeStderr(logLine('INFO', `Starting offline schema engine (wasm) command: ${command}`));
  try {
    const run = ONE_SHOT_COMMANDS[command];
    if (!run) throw new EngineError(undefined, `Unknown schema engine command: ${command}`);
    await run(requireUrl(datasource));
    process.exitCode = 0;
  } catch (error) {
    oneShotErrorLines(error).forEach(writeStderr);
    process.exitCode = 1;
  }
}

function runRpcServer(args) {
  const datasource = args.datasource ?? {};
  let adapterFactory;
  let methods;
  let panicked = false;
  const setUp = () => {
    // Created on the first request, so that a bad URL is reported as that request's error.
    if (!methods) {
      adapterFactory = new OfflinePgAdapterFactory({ url: requireUrl(datasource), shadowDatabaseUrl: datasource.shadowDatabaseUrl });
      methods = createRpcMethods({
        datasource,
        datamodels: args.datamodelPaths.length > 0 ? readDatamodels(args.datamodelPaths) : undefined,
        adapterFactory,
        writeLog: writeStderr,
      });
    }
    return methods;
  };

  const stop = async (exitCode) => {
    await adapterFactory?.dropLiveShadowDatabases();
    process.exit(exitCode);
  };
  // The CLI stops the engine by closing stdin, or by a signal when the user interrupts it:
  // either way no throwaway shadow database may be left behind.
  process.once('SIGINT', () => stop(130));
  process.once('SIGTERM', () => stop(143));

  serveJsonRpc({
    input: process.stdin,
    output: process.stdout,
    handle: async (method, params, client) => {
      if (panicked) throw new Error('The schema engine panicked earlier and is shutting down.');
      const table = setUp();
      if (!Object.hasOwn(table, method)) throw new EngineError(undefined, `Method not supported by the offline schema engine: ${method}`);
      return table[method](params ?? {}, client);
    },
    toError: (error) => {
      const panicMessage = panicMessageFor(error);
      // A panicked wasm instance is unusable: answer nothing more and exit like the native engine (101).
      if (panicMessage !== undefined && !panicked) {
        panicked = true;
        setImmediate(() => stop(101));
      }
      return toRpcError(error, panicMessage);
    },
    onClose: () => stop(0),
  });
}

async function main() {
  const args = parseArguments(process.argv.slice(2));
  if (args.version) {
    process.stdout.write(`schema-engine-wasm ${wasmEngineVersion()} (offline shim, tools/prisma-schema-engine)\n`);
    return;
  }
  if (args.cliCommand !== undefined) {
    await runOneShot(args.cliCommand, args.datasource);
    return;
  }
  runRpcServer(args);
}

main().catch((error) => {
  writeStderr(logLine('ERROR', error?.message ?? String(error)));
  process.exit(1);
});
