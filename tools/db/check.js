#!/usr/bin/env node
'use strict';
/**
 * npm run db:check — is the database exactly what the migrations describe? Exits 0 with one "OK"
 * line, or non-zero with the reason:
 *
 *   1. migration history (`prisma migrate status`): pending, failed or unknown migrations;
 *   2. drift (`prisma migrate diff --from-migrations … --to-config-datasource`): the live schema
 *      differs from what the migrations produce (someone changed it by hand), with the summary;
 *   3. unsaved model changes (`prisma migrate diff --from-config-datasource --to-schema …`):
 *      schema.prisma has changes that no migration contains yet.
 *
 * Usage: node tools/db/check.js [--schema prisma/schema.prisma] [--migrations prisma/migrations]
 */

const { parseArgs } = require('node:util');
const { meaningfulOutput, namesAfter, runPrisma } = require('./prisma-cli');

const DIFF_NOT_EMPTY = 2; // `migrate diff --exit-code`: 0 empty, 1 error, 2 differences

class CheckFailure extends Error {}

/** 1. The migrations table against the migrations directory. */
async function checkHistory() {
  const run = await runPrisma(['migrate', 'status']);
  if (run.code === 0) return;
  const text = meaningfulOutput(run);
  const unknown = namesAfter(text, /from the database are not found locally/);
  if (unknown.length > 0) {
    throw new CheckFailure(`the database has applied migration(s) that are missing from the migrations directory: ${unknown.join(', ')}\n${text}`);
  }
  const pending = namesAfter(text, /have not yet been applied:$/);
  if (pending.length > 0) {
    throw new CheckFailure(`${pending.length} pending migration(s) not applied to the database: ${pending.join(', ')}\nRun: npm run db:migrate`);
  }
  const failed = namesAfter(text, /have failed:$/);
  if (failed.length > 0) {
    throw new CheckFailure(`failed migration(s) in the database: ${failed.join(', ')}\nSee docs/DATABASE.md (recovering from a failed migration).`);
  }
  throw new CheckFailure(`migration status could not be verified:\n${text}`);
}

/** 2. The live schema against the schema the migrations produce (replayed on a shadow database). */
async function checkDrift(migrationsDir) {
  const run = await runPrisma(['migrate', 'diff', '--from-migrations', migrationsDir, '--to-config-datasource', '--exit-code']);
  if (run.code === 0) return;
  if (run.code === DIFF_NOT_EMPTY) {
    throw new CheckFailure(
      `schema drift: the live database differs from what the migrations in ${migrationsDir} produce ` + `(changed outside migrations):\n${run.stdout.trim()}`,
    );
  }
  throw new CheckFailure(`drift check failed:\n${meaningfulOutput(run)}`);
}

/** 3. schema.prisma against the (verified) database: model changes without a migration. */
async function checkUnsavedModelChanges(schemaPath) {
  const run = await runPrisma(['migrate', 'diff', '--from-config-datasource', '--to-schema', schemaPath, '--exit-code']);
  if (run.code === 0) return;
  if (run.code === DIFF_NOT_EMPTY) {
    throw new CheckFailure(
      `${schemaPath} has changes that no migration contains yet:\n${run.stdout.trim()}\n` + 'Run: npm run db:migrate:create -- --name <what-changed>',
    );
  }
  throw new CheckFailure(`schema comparison failed:\n${meaningfulOutput(run)}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      schema: { type: 'string', default: 'prisma/schema.prisma' },
      migrations: { type: 'string', default: 'prisma/migrations' },
    },
  });
  try {
    await checkHistory();
    // Both comparisons are needed on the success path and are independent: run them side by side
    // (each is mostly Prisma CLI start-up), then report in order of importance.
    const [drift, unsaved] = await Promise.allSettled([checkDrift(values.migrations), checkUnsavedModelChanges(values.schema)]);
    for (const outcome of [drift, unsaved]) if (outcome.status === 'rejected') throw outcome.reason;
    process.stdout.write('db:check: OK — all migrations applied, no drift, schema.prisma matches the database\n');
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    process.stderr.write(`db:check: FAILED — ${error.message}\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`db:check: FAILED — ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
