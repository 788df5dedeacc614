// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Type-aware rules over every TypeScript file of the monorepo (apps, libs, test, tools, bench),
 * read through tsconfig.json. Layout is Prettier's job (.prettierrc.json): no stylistic rules here.
 */
export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'libs/db/src/generated/', 'libs/client/src/generated/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // prisma.config.ts sits outside tsconfig.json's folders (the Prisma CLI loads it on its own).
        projectService: { allowDefaultProject: ['prisma.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its error: await it, return it, or mark it `void` on purpose.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Unused parameters are allowed when named `_x` (a handler's signature is fixed by its caller).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // Files with decorators are skipped by the rule itself: Nest's DI needs their imports as values.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `.map(SomeDto.from)`: static mappers do not use `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // `async` without `await` is how fakes and implementations of async interfaces (Baileys' key
      // store, Nest guards) return promises; a forgotten await is what no-floating-promises catches.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Specs read HTTP bodies and parsed JSON (typed `any` by supertest and JSON.parse) to assert on
    // them, and pass methods of fixtures around: `expect` is the type check there.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain CommonJS scripts run by Node directly (db tools, the schema-engine stand-in, Jest's config).
    files: ['**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
