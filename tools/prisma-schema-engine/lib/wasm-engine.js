'use strict';
/**
 * Loading the official WebAssembly build of the schema engine (@prisma/schema-engine-wasm).
 *
 * The package's entry point imports the .wasm file as an ES module, which Node only allows behind
 * --experimental-wasm-modules; so the shim instantiates the binary itself and hands it to the
 * generated bindings (schema_engine_bg.js), which is what that entry point does.
 */

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');

const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
const packageDir = path.dirname(bindingsPath);

/**
 * Rust panics inside the wasm module report their message through this global before the module
 * traps ("RuntimeError: unreachable"); without it the panic would have no message at all.
 */
const panicRegistry = {
  message: undefined,
  set_message(message) {
    this.message = message;
  },
};
globalThis.PRISMA_WASM_PANIC_REGISTRY = panicRegistry;

let bindingsPromise;

function loadBindings() {
  bindingsPromise ??= (async () => {
    const bindings = await import(pathToFileURL(bindingsPath).href);
    const bytes = fs.readFileSync(path.join(packageDir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return bindings;
  })();
  return bindingsPromise;
}

/** Version of the wasm engine, read from its package (no need to load the module for it). */
function wasmEngineVersion() {
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return version;
}

/**
 * A connected wasm SchemaEngine.
 * @param {{ datamodels?: Array<[string, string]>, adapterFactory: object, onLog: (line: string) => void }} options
 */
async function createWasmEngine({ datamodels, adapterFactory, onLog }) {
  const { SchemaEngine } = await loadBindings();
  // `datamodels` must be undefined rather than [] when there is no schema: [] makes the engine panic.
  const options = { datamodels: datamodels && datamodels.length > 0 ? datamodels : undefined };
  return SchemaEngine.new(options, onLog, bindMigrationAwareSqlAdapterFactory(adapterFactory));
}

/** The panic message recorded for an error thrown by the wasm module, if it was a panic. */
function panicMessageFor(error) {
  if (panicRegistry.message !== undefined) return panicRegistry.message;
  if (error instanceof WebAssembly.RuntimeError) return error.message;
  return undefined;
}

module.exports = { createWasmEngine, panicMessageFor, wasmEngineVersion };
