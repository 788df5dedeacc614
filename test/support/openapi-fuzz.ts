import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/** The parts of an OpenAPI 3 document the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } } & Record<string, unknown>>
  >;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzOperation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodySchema?: Schema;
  /** multipart/form-data only (no JSON body). */
  multipartOnly: boolean;
  isPublic: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function fuzzOperations(document: OpenApiDocument): FuzzOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      const content = operation.requestBody?.content ?? {};
      return {
        method,
        path,
        parameters: operation.parameters ?? [],
        bodySchema: content['application/json']?.schema,
        multipartOnly: !content['application/json'] && Boolean(content['multipart/form-data']),
        isPublic: operation['x-public'] === true,
      };
    }),
  );
}

/** Resolves `$ref` and merges `allOf`, so generators see plain schemas. */
export function resolve(document: OpenApiDocument, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return resolve(document, document.components?.schemas?.[name]);
  }
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => resolve(document, part)), { ...schema, allOf: undefined }) as Schema;
  if (schema.oneOf?.[0] ?? schema.anyOf?.[0]) return resolve(document, (schema.oneOf ?? schema.anyOf)![0]);
  return schema;
}

/** A value the schema accepts: its example, default or first enum value, else one built from its type. */
export function validValue(document: OpenApiDocument, raw: Schema | undefined, depth = 0): unknown {
  const schema = resolve(document, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => validValue(document, schema.items, depth + 1));
    case 'object':
      return validObject(document, schema, depth);
    case 'string':
      return validString(schema);
    default:
      return schema.properties ? validObject(document, schema, depth) : 'value';
  }
}

function validString(schema: Schema): string {
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
  if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/hook';
  if (schema.format === 'email') return `fuzz-${randomUUID()}@example.com`;
  return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
}

function validObject(document: OpenApiDocument, schema: Schema, depth: number): Record<string, unknown> {
  if (depth > 4) return {};
  return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, validValue(document, property, depth + 1)]));
}

/** Strings a hostile client sends: control characters, broken Unicode, injections, sizes. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\ufeff\u200b',
  '😀'.repeat(500),
  'x'.repeat(70_000),
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '%E0%A4%A',
  '${jndi:ldap://x}',
  '{{7*7}}',
  'javascript:alert(1)',
  'http://127.0.0.1:1/x',
  'http://169.254.169.254/latest',
  'file:///etc/passwd',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  'true',
  'null',
  '[]',
  '{}',
  '\r\nX-Injected: 1',
];

/** A JSON text nested `levels` deep. */
const deepArray = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}1${']'.repeat(levels)}`);

/** Values of any shape in place of a field: wrong types, nulls, sizes, encodings, nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, [], {}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      deepArray(30),
      deepArray(2_000),
      { a: { b: { c: { d: { e: { f: 'deep' } } } } } },
      Array.from({ length: 5_000 }, (_, i) => i),
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Raw JSON texts no value can produce: pollution keys, duplicates, broken syntax. */
export const HOSTILE_BODY_TEXTS = [
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{',
  '{"a":',
  '[1,2',
  'nul',
  '"just a string"',
  '12',
  '[]',
  '[{}]',
  'null',
  '{"a":1,"a":2}',
  '\u0000',
  `{"x":"${'\\ud800'}"}`,
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
];

/** Content types a route does not take, each with a body. */
export const WRONG_CONTENT_TYPES: Array<{ type: string; body: string }> = [
  { type: 'text/plain', body: '{"a":1}' },
  { type: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
  { type: 'multipart/form-data; boundary=zzz', body: '--zzz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--zz' },
  { type: 'multipart/form-data', body: 'no boundary at all' },
  { type: 'application/x-www-form-urlencoded', body: 'a=1&a=2&__proto__[x]=1&b[c][d][e][f][g][h]=1' },
  { type: 'application/json; charset=utf-16', body: '{"a":1}' },
  { type: 'application/octet-stream', body: '\u0000\u0001\u0002' },
];

/** Credentials that must not get anyone in: none, made up, truncated, tampered, oversized. */
export function spoiledCredentials(valid: { apiKey: string; jwt: string }): Array<Record<string, string>> {
  const [header, payload] = valid.jwt.split('.');
  const tamperedPayload = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin', sub: randomUUID() }),
  ).toString('base64url');
  const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
  return [
    {},
    { 'x-api-key': 'wgk_not-a-real-key' },
    { 'x-api-key': valid.apiKey.slice(0, -1) },
    { 'x-api-key': `${valid.apiKey}\u00ff` },
    { 'x-api-key': 'x'.repeat(8_000) },
    { authorization: 'Bearer' },
    { authorization: 'Bearer ' },
    { authorization: `Bearer ${header}.${tamperedPayload}.${valid.jwt.split('.')[2]}` },
    { authorization: `Bearer ${unsigned}` },
    { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    { authorization: `bearer ${valid.jwt}x` },
    { authorization: 'Bearer wst_forged-session-token' },
  ];
}
