'use strict';
/**
 * Running the project's Prisma CLI with its output captured, for the db:* helpers that turn it
 * into short, clear messages.
 */

const { spawn } = require('node:child_process');

const PRISMA_CLI = require.resolve('prisma/build/index.js');

/**
 * @param {string[]} args e.g. ['migrate', 'deploy']
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
function runPrisma(args, { cwd = process.cwd(), env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_CLI, ...args], {
      cwd,
      // No colours in captured text; no update check (it would try the network).
      env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr }));
  });
}

/** Prisma's own lines that carry no information for our messages. */
const BOILERPLATE = [
  /^Loaded Prisma config from /,
  /^Prisma schema loaded from /,
  /^Datasource "[^"]*": /,
  /^\d+ migrations? found in /,
  /^Prisma config detected, skipping environment variable loading\.?$/,
];

/** The meaningful part of a Prisma CLI run's output (boilerplate removed, blank runs squeezed). */
function meaningfulOutput({ stdout, stderr }) {
  return `${stdout}\n${stderr}`
    .split('\n')
    .filter((line) => !BOILERPLATE.some((pattern) => pattern.test(line)))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Lines listed under a heading such as "Following migrations have not yet been applied:". */
function namesAfter(text, heading) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => heading.test(line));
  if (start === -1) return [];
  const names = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.trim()) break;
    names.push(line.trim());
  }
  return names;
}

module.exports = { meaningfulOutput, namesAfter, runPrisma };
