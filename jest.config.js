/** One Jest run covers unit specs beside the code and end-to-end specs under test/. */
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

const libAliases = ['client', 'config', 'contracts', 'crypto', 'db', 'messaging', 'observability', 'redis', 'runtime', 'sending', 'transport'];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testRegex: '(apps|libs|test|tools)/.*\\.(spec|e2e-spec)\\.ts$',
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
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/signal-console.setup.ts', '<rootDir>/test/support/leftover-processes.setup.ts'],
  testTimeout: 60_000,
  // One file at a time: the files share the run's database, and session placement is database-wide
  // (see retireEarlierSessions in test/support/suite-harness.ts). CI machines have 2 cores, which
  // Jest runs in band anyway.
  maxWorkers: 1,
};
