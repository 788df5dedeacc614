'use strict';
/**
 * The command line the Prisma CLI gives its schema-engine binary:
 *
 *   schema-engine --version
 *   schema-engine [--datamodels <file>]… [--datasource <json>] [--enabled-preview-features a,b]
 *                 [--extension-types <json>]                      → JSON-RPC server on stdio
 *   schema-engine --datasource <json> cli <command>               → one-shot command
 *
 * where <json> is `{"url": "…", "shadowDatabaseUrl": "…"}` from prisma.config.ts.
 */

const fs = require('node:fs');
const path = require('node:path');

function parseArguments(argv) {
  const parsed = { version: false, datamodelPaths: [], datasource: undefined, cliCommand: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`Missing value for ${arg}`);
      return argv[++i];
    };
    switch (arg) {
      case '--version':
      case '-V':
        parsed.version = true;
        break;
      case '--datamodels':
      case '-d':
        parsed.datamodelPaths.push(value());
        break;
      case '--datasource':
        parsed.datasource = JSON.parse(value());
        break;
      case '--enabled-preview-features':
      case '--extension-types':
        value(); // accepted for compatibility; the wasm engine reads preview features from the schema
        break;
      case 'cli':
        parsed.cliCommand = argv[i + 1];
        i = argv.length;
        break;
      default:
        throw new Error(`Unknown argument: ${arg}`);
    }
  }
  return parsed;
}

/** The schema files as the wasm engine wants them: [path, content] pairs. */
function readDatamodels(paths) {
  return paths.map((file) => [file, fs.readFileSync(path.resolve(file), 'utf8')]);
}

module.exports = { parseArguments, readDatamodels };
