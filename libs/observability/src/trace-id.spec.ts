import { resolveTraceId } from './trace-id';

describe('resolveTraceId', () => {
  it('keeps a usable x-request-id', () => {
    expect(resolveTraceId({ 'x-request-id': 'abc-12345-def' })).toBe('abc-12345-def');
  });

  it('takes the trace id out of a W3C traceparent', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(resolveTraceId({ traceparent })).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('prefers x-request-id over traceparent', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(resolveTraceId({ 'x-request-id': 'req-000000001', traceparent })).toBe('req-000000001');
  });

  it.each([
    ['a header with unsafe characters', { 'x-request-id': 'id with spaces <script>' }],
    ['an all-zero traceparent', { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }],
    ['no header', {}],
  ])('generates a fresh id for %s', (_case, headers) => {
    const id = resolveTraceId(headers);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolveTraceId(headers)).not.toBe(id);
  });
});
