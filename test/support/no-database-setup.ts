/** For running suites that need neither PostgreSQL nor Redis: `npx jest <path> --globalSetup ./test/support/no-database-setup.ts`. */
export default async function noDatabaseSetup(): Promise<void> {}
