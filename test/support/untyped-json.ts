/**
 * A parsed JSON (or YAML) document as tests read it: untyped on purpose, since the assertions on
 * it are the type check (as for supertest's `body`). Specs only: support code types what it reads.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs read parsed bodies field by field; `expect` checks them
export type UntypedJson = any;
