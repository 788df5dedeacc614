import type { ClassConstructor } from 'class-transformer';
import { ConfigValidationError, loadConfig } from './load-config';

/** Start-up helper for main.ts: a bad environment ends the process with the variables named. */
export function loadConfigOrExit<T extends object>(schema: ClassConstructor<T>, appName: string): T {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`[${appName}] ${error.message}\nSee .env.example for every variable.\n`);
    process.exit(78);
  }
}
