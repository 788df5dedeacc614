/**
 * Three Jest projects, told apart by the file name:
 * - `*.spec.ts` (unit): beside the code, no database, no Redis, no built processes; seconds.
 * - `*.int-spec.ts` (integration): real PostgreSQL, Redis, BullMQ, Baileys against the in-process
 *   simulator, deployment tools; beside the code (or under test/deploy).
 * - `*.e2e-spec.ts` (e2e, under test/e2e): the built apps from `dist/` as processes.
 * `npm test` runs all three; `npm run test:unit|test:integration|test:e2e` one each.
 */
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const libAliases = [
  'ai-backend',
  'client',
  'config',
  'contracts',
  'crypto',
  'db',
  'observability',
  'recipients',
  'redis',
  'runtime',
  'safe-fetch',
  'sending',
  'transport',
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swcOptions] },
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    ...Object.fromEntries(
      libAliases.flatMap((name) => [
        [`^@app/${name}$`, `<rootDir>/libs/${name}/src`],
        [`^@app/${name}/(.*)$`, `<rootDir>/libs/${name}/src/$1`],
      ]),
    ),
    // The generated Prisma client imports its siblings as `./x.js`; the sources are `.ts`.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^whatsapp-rust-bridge$': '<rootDir>/node_modules/whatsapp-rust-bridge/dist/index.js',
    // The Kubernetes schema packages (test/deploy) export ESM under an `import` condition only, too.
    '^kubernetes-models(/.*)?$': '<rootDir>/node_modules/kubernetes-models$1',
    '^@kubernetes-models/(base|validate)$': '<rootDir>/node_modules/@kubernetes-models/$1/dist/index.js',
    '^@kubernetes-models/validate/runtime/(.*)$': '<rootDir>/node_modules/@kubernetes-models/validate/dist/runtime/$1',
    '^@kubernetes-models/(apimachinery|prometheus-operator)(/.*)?$': '<rootDir>/node_modules/@kubernetes-models/$1$2',
  },
  setupFilesAfterEnv: ['<rootDir>/test/support/signal-console.setup.ts', '<rootDir>/test/support/leftover-processes.setup.ts'],
};

/**
 * The run's own PostgreSQL database and Redis prefix. Both projects name the same modules, so
 * Jest runs them once per run, and only when a test of one of these projects is selected.
 */
const withRunStores = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testRegex: '(apps|libs|test|tools)/.*\\.spec\\.ts$',
      // The stores' settings are removed, so a unit spec that reaches for them fails here too
      // (inside `npm test`, where the global setup has set them for the other projects).
      setupFiles: ['<rootDir>/test/support/unit.setup.ts'],
    },
    { ...shared, ...withRunStores, displayName: 'integration', testRegex: '(apps|libs|test|tools)/.*\\.int-spec\\.ts$' },
    { ...shared, ...withRunStores, displayName: 'e2e', testRegex: 'test/e2e/.*\\.e2e-spec\\.ts$' },
  ],
  testTimeout: 60_000,
  // One file at a time: integration and e2e files share the run's database, and session placement
  // is database-wide (see retireEarlierSessions in test/support/suite-harness.ts). CI machines have
  // 2 cores, which Jest runs in band anyway. `npm run test:unit` alone runs files in parallel.
  // (The scripts end `--selectProjects x` with another option: it would take the file patterns
  // given after `npm run test:unit --` as more project names.)
  maxWorkers: 1,
};
