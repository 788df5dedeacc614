import { findInputProblem, INPUT_LIMITS, screenInput } from './input-screen';

describe('findInputProblem', () => {
  it('passes what a route can take: text in any script, emoji, numbers, nested items', () => {
    const body = { message: 'Halo 👋 سلام 你好\ttab\nline', items: [{ to: '0812', delaySeconds: 3 }], count: Number.MAX_SAFE_INTEGER, flag: true, none: null };
    expect(findInputProblem(body, 'body')).toBeUndefined();
  });

  it('refuses a million levels of nesting without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
    expect(findInputProblem(deep, 'body')).toEqual({
      field: expect.stringMatching(/^\[0\]/),
      problems: [expect.stringContaining(`${INPUT_LIMITS.maxDepth} levels`)],
    });
  });

  it('accepts the deepest shape the API uses and refuses one level more than the limit', () => {
    let value: unknown = 'leaf';
    for (let level = 0; level < INPUT_LIMITS.maxDepth; level++) value = { next: value };
    expect(findInputProblem(value, 'body')).toBeUndefined();
    expect(findInputProblem({ next: value }, 'body')?.problems[0]).toContain('nested');
  });

  it('bounds how many values one body may hold', () => {
    const flood = Array.from({ length: INPUT_LIMITS.maxNodes + 1 }, () => 1);
    expect(findInputProblem(flood, 'body')?.problems[0]).toContain('more than');
  });

  it('names the field of a bad key or value by its path', () => {
    expect(findInputProblem({ items: [{ to: 'ok' }, { to: 'a\u0000' }] }, 'body')?.field).toBe('items[1].to');
    expect(findInputProblem({ ['ba\ud800d']: 1 }, 'body')?.field).toBe('ba\ud800d');
    expect(findInputProblem(JSON.parse('{"a":{"__proto__":{"x":1}}}'), 'body')?.field).toBe('a.__proto__');
  });

  it('reads query values written as numbers, and nothing else, as numbers', () => {
    expect(findInputProblem({ offset: '9007199254740993' }, 'query')?.field).toBe('offset');
    expect(findInputProblem({ offset: '1e308' }, 'query')?.field).toBe('offset');
    expect(findInputProblem({ phone: '628123456789' }, 'query')).toBeUndefined();
    // The same text in a body is a string field (ids, phone numbers): its length is the DTO's business.
    expect(findInputProblem({ phone: '9007199254740993123' }, 'body')).toBeUndefined();
  });
});

describe('screenInput', () => {
  it('throws INVALID_PAYLOAD naming the part and the field', () => {
    expect(() => screenInput({ path: { groupId: 'x\u0000' }, body: {} })).toThrow(
      expect.objectContaining({
        code: 'INVALID_PAYLOAD',
        message: 'groupId (path parameter) must not contain a NUL character (U+0000)',
        details: { in: 'path', fields: [{ field: 'groupId', problems: [expect.any(String)] }] },
      }),
    );
  });
});
