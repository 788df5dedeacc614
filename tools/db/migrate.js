#!/usr/bin/env node
'use strict';
/**
 * npm run db:migrate — applies pending migrations (`prisma migrate deploy`), creating the database
 * first if it does not exist. Quiet on success: nothing when the database was already up to date,
 * one line naming what was applied otherwise. On failure Prisma's explanation goes to stderr and
 * the exit code is non-zero.
 *
 * An explicit step (deploy pipeline, dev setup, test global setup): services never migrate at start.
 */

const { meaningfulOutput, runPrisma } = require('./prisma-cli');

async function main() {
  const run = await runPrisma(['migrate', 'deploy', ...process.argv.slice(2)]);
  if (run.code !== 0) {
    process.stderr.write(`db:migrate failed:\n${meaningfulOutput(run)}\n`);
    process.exitCode = run.code || 1;
    return;
  }
  // The CLI lists applied migrations as a tree: "  └─ <name>/" under "migrations/".
  const applied = [...run.stdout.matchAll(/^ {2}└─ (.+)\/$/gm)].map((match) => match[1]);
  if (applied.length > 0) {
    process.stdout.write(`db:migrate: applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`db:migrate failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
