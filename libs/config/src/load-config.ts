import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Thrown at start-up when the environment does not satisfy an app's config schema. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((reason) =>
      // class-validator's own messages start with the property name; custom ones do not.
      reason.startsWith(`${error.property} `) ? `${error.property}: ${reason.slice(error.property.length + 1)}` : `${error.property}: ${reason}`,
    ),
  );
}

/**
 * Validates the environment once into a typed config object. Property names are the variable
 * names, so every error names the variable to fix. Empty strings count as unset, so a blank
 * line in .env falls back to the default instead of failing a type check.
 */
export function loadConfig<T extends object>(schema: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  // Class fields are defined on the instance (useDefineForClassFields), so this lists every variable.
  const known = new Set(Object.keys(new schema()));
  const present = Object.fromEntries(Object.entries(env).filter(([name, value]) => known.has(name) && value !== undefined && value !== ''));
  const config = plainToInstance(schema, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false, skipMissingProperties: false });
  if (errors.length > 0) throw new ConfigValidationError(describe(errors));
  return config;
}
