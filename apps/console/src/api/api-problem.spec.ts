import { apiBaseFromLocation } from './api-base';
import { ApiError, problemFromAnswer, problemFromFailure, unwrap } from './api-problem';

const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

describe('API problems as the console shows them', () => {
  it('takes code, message and trace id from the error envelope', () => {
    const body = { error: { code: 'SESSION_NOT_FOUND', message: 'Session demo does not exist', traceId: 'trace-1' } };
    expect(problemFromAnswer(404, body, 'header-trace')).toEqual({
      code: 'SESSION_NOT_FOUND',
      message: 'Session demo does not exist',
      traceId: 'trace-1',
      status: 404,
    });
  });

  it('falls back to the status and the x-request-id header when the body is no envelope', () => {
    expect(problemFromAnswer(502, '<html>Bad gateway</html>', 'header-trace')).toEqual({
      code: 'HTTP_502',
      message: 'The gateway answered 502: <html>Bad gateway</html>',
      traceId: 'header-trace',
      status: 502,
    });
    expect(problemFromAnswer(500, undefined, null)).toMatchObject({ code: 'HTTP_500', traceId: null });
  });

  it('says the gateway could not be reached when no answer came', () => {
    expect(problemFromFailure(new TypeError('Failed to fetch'))).toMatchObject({
      code: 'NETWORK',
      status: null,
      message: expect.stringContaining('Failed to fetch'),
    });
  });

  it('unwraps data, and throws the problem of an error answer or a failed call', async () => {
    await expect(unwrap(Promise.resolve({ data: { ok: 1 }, response: answer(200) }))).resolves.toEqual({ ok: 1 });
    const refused = unwrap(Promise.resolve({ error: { error: { code: 'FORBIDDEN', message: 'No', traceId: 't-9' } }, response: answer(403) }));
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ problem: { code: 'FORBIDDEN', traceId: 't-9', status: 403 } });
    await expect(unwrap(Promise.reject(new TypeError('offline')))).rejects.toMatchObject({ problem: { code: 'NETWORK' } });
  });

  it('finds the API next to the console, behind a path prefix too', () => {
    expect(apiBaseFromLocation('http://localhost:3000/console/#/sessions')).toBe('http://localhost:3000');
    expect(apiBaseFromLocation('https://ops.example.com/wa/console/')).toBe('https://ops.example.com/wa');
    expect(apiBaseFromLocation('http://localhost:3000/')).toBe('http://localhost:3000');
  });
});
