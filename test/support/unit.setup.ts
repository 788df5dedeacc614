// Unit specs run without the run's database and Redis prefix. Inside `npm test` the global setup
// (test/support/global-setup.ts) has put them into the environment for the other projects: remove
// them, so a unit spec that needs a store fails the same way in `npm test` as in `npm run test:unit`.
for (const name of ['TEST_RUN_ID', 'DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'ENCRYPTION_KEY', 'JWT_SECRET']) {
  delete process.env[name];
}
