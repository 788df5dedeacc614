import { AppError } from '@app/contracts';

/**
 * What no route of the API can ever accept, checked once for every request before anything reads
 * it (guards, interceptors, validation, a repository, a worker): PostgreSQL refuses NUL in text and
 * silently replaces unpaired UTF-16 surrogates; nesting beyond any DTO's shape only feeds recursion
 * (class-transformer, fingerprints) that a deep enough body overflows; numbers beyond 2^53 are not
 * the numbers the client wrote; and `__proto__`/`constructor`/`prototype` keys are pollution
 * attempts, never fields.
 */
export const INPUT_LIMITS = {
  /** Objects and arrays inside objects and arrays: the deepest DTO (bulk job items) needs 4. */
  maxDepth: 16,
  /** Values in one body: far above a full bulk job, far below what makes validation slow. */
  maxNodes: 100_000,
} as const;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const POLLUTION_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A query value written as a number; beyond 2^53 it cannot be the number the client meant. */
const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type InputPart = 'body' | 'query' | 'path';

export interface InputProblem {
  field: string;
  problems: string[];
}

function stringProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain a NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain an unpaired UTF-16 surrogate';
  return undefined;
}

function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) return `must be between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`;
  return undefined;
}

const childPath = (parent: string, key: string | number): string => (typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key);

/**
 * The first problem of a parsed input, walking it iteratively (a recursive walk is exactly what a
 * deep body would overflow). Field paths read like the validator's: `items[2].message`.
 */
export function findInputProblem(root: unknown, part: InputPart): InputProblem | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: '', depth: 0 }];
  let nodes = 0;
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (++nodes > INPUT_LIMITS.maxNodes) return { field: part, problems: [`must not hold more than ${INPUT_LIMITS.maxNodes} values`] };
    if (typeof value === 'string') {
      const problem = stringProblem(value) ?? (part === 'query' && NUMERIC_TEXT.test(value.trim()) ? numberProblem(Number(value)) : undefined);
      if (problem) return { field: path || part, problems: [problem] };
      continue;
    }
    if (typeof value === 'number') {
      const problem = numberProblem(value);
      if (problem) return { field: path || part, problems: [problem] };
      continue;
    }
    if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) continue;
    if (depth >= INPUT_LIMITS.maxDepth) return { field: path || part, problems: [`must not be nested more than ${INPUT_LIMITS.maxDepth} levels deep`] };
    if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, path: childPath(path, index), depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const keyProblem = POLLUTION_KEYS.has(key) ? 'is not an accepted field name' : stringProblem(key);
      if (keyProblem) return { field: childPath(path, key), problems: [keyProblem] };
      pending.push({ value: (value as Record<string, unknown>)[key], path: childPath(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}

/** The request parts to screen, in the order a client would want them reported. */
export interface ScreenedInput {
  path?: Record<string, unknown>;
  query?: unknown;
  body?: unknown;
}

/** Throws 400 INVALID_PAYLOAD naming the first field of the request that can never be valid. */
export function screenInput(input: ScreenedInput): void {
  for (const part of ['path', 'query', 'body'] as const) {
    if (input[part] === undefined) continue;
    const problem = findInputProblem(input[part], part);
    if (!problem) continue;
    const where = part === 'body' ? '' : ` (${part === 'path' ? 'path parameter' : 'query parameter'})`;
    throw new AppError('INVALID_PAYLOAD', `${problem.field}${where} ${problem.problems.join('; ')}`, { in: part, fields: [problem] });
  }
}
