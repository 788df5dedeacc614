import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { optionalWorkerActions } from './src/admin/worker-actions.ts';

const here = import.meta.dirname;
const repoRoot = resolve(here, '../..');
const openapi = JSON.parse(readFileSync(resolve(repoRoot, 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };

/**
 * The console: a static single-page app built into dist/console, which the gateway serves at
 * /console. Relative asset URLs keep it working behind a path prefix. Nothing is inlined as
 * data: URIs and no inline script is emitted, so it runs under `script-src 'self'`.
 */
export default defineConfig({
  root: here,
  base: './',
  publicDir: resolve(here, 'public'),
  resolve: {
    alias: {
      '@app/client': resolve(repoRoot, 'libs/client/src'),
      '@app/contracts': resolve(repoRoot, 'libs/contracts/src'),
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  define: {
    // Worker routes that other branches add: the admin page offers each one the API documents.
    __WORKER_ACTIONS__: JSON.stringify(optionalWorkerActions(openapi.paths)),
  },
  build: {
    outDir: resolve(repoRoot, 'dist/console'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { port: 5173, strictPort: true },
});
