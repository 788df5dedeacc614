import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** Values in .env.example written as this placeholder get a fresh random secret in a new .env. */
const GENERATED_SECRET = '<generate>';

/**
 * A fresh checkout has no .env: create it from .env.example, filling every secret placeholder with
 * random bytes, so `npm start` works on a new machine and no two installs share a secret.
 * Returns true when the file was created.
 */
export function ensureDotEnv(envPath: string, examplePath: string): boolean {
  if (existsSync(envPath)) return false;
  const example = readFileSync(examplePath, 'utf8');
  const filled = example.replaceAll(GENERATED_SECRET, () => randomBytes(32).toString('hex'));
  writeFileSync(envPath, filled, { mode: 0o600 });
  return true;
}

/**
 * An existing .env from an older version may lack secrets added since: generate each one that
 * .env.example marks `<generate>` and .env does not define. Returns the names added.
 */
export function addMissingSecrets(envPath: string, examplePath: string): string[] {
  if (!existsSync(envPath)) return [];
  const defined = parseEnv(readFileSync(envPath, 'utf8'));
  const missing = Object.entries(parseEnv(readFileSync(examplePath, 'utf8')))
    .filter(([name, value]) => value === GENERATED_SECRET && !defined[name])
    .map(([name]) => name);
  if (missing.length > 0) {
    appendFileSync(
      envPath,
      `\n# Added by npm start: secrets introduced after this file was created\n${missing.map((name) => `${name}=${randomBytes(32).toString('hex')}`).join('\n')}\n`,
    );
  }
  return missing;
}

/** Loads .env into the environment without overriding variables that are already set. */
export function loadDotEnv(envPath: string, env: NodeJS.ProcessEnv): void {
  if (!existsSync(envPath)) return;
  for (const [name, value] of Object.entries(parseEnv(readFileSync(envPath, 'utf8')))) {
    if (env[name] === undefined) env[name] = value;
  }
}
