#!/usr/bin/env node
'use strict';
/**
 * npm run db:reset — DEVELOPMENT ONLY: drops everything in the database named by DATABASE_URL and
 * re-applies all migrations (`prisma migrate reset`). Refuses to run with NODE_ENV=production.
 * Prisma asks for confirmation in a terminal; pass `-- --force` to skip the question (scripts).
 */

const { spawnSync } = require('node:child_process');

if (process.env.NODE_ENV === 'production') {
  process.stderr.write('db:reset refused: NODE_ENV=production. Resetting drops all data; it is for development databases only.\n');
  process.exit(1);
}

const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), 'migrate', 'reset', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CHECKPOINT_DISABLE: '1' },
});
process.exit(result.status ?? 1);
