import path from 'node:path';
import { defineConfig } from 'prisma/config';

/**
 * Prisma CLI configuration (Prisma 7 reads the datasource URL here, not in schema.prisma).
 *
 * Migrations run fully offline: unless PRISMA_SCHEMA_ENGINE_BINARY is already set, the CLI uses
 * the project's schema-engine shim (tools/prisma-schema-engine, WebAssembly engine from
 * node_modules) instead of downloading Prisma's native binary. See docs/DATABASE.md.
 */
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, 'tools', 'prisma-schema-engine', 'schema-engine.js');
// No update check / usage ping to checkpoint.prisma.io after each command (pointless offline).
process.env.CHECKPOINT_DISABLE ??= '1';

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  datasource: {
    // Read directly (not with env()) so that `prisma generate` also works where no database is configured.
    url: process.env.DATABASE_URL ?? '',
    // Optional: a dedicated, disposable database for migrate dev / drift checks, for database users
    // that may not CREATE DATABASE (otherwise a throwaway shadow database is created and dropped).
    ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
  },
});
