/** What the console shows when a call fails: the API's own error envelope, or what went wrong on the way. */
export interface ApiProblem {
  code: string;
  message: string;
  /** The request's trace id (body or x-request-id header), to quote to whoever reads the logs. */
  traceId: string | null;
  /** The HTTP status, null when no answer came. */
  status: number | null;
}

export class ApiError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.message);
    this.name = 'ApiError';
  }
}

/** The gateway's trace header (libs/observability TRACE_ID_HEADER), on every answer. */
export const TRACE_HEADER = 'x-request-id';

interface ErrorEnvelope {
  error: { code?: unknown; message?: unknown; traceId?: unknown };
}

const isEnvelope = (body: unknown): body is ErrorEnvelope =>
  typeof body === 'object' && body !== null && typeof (body as ErrorEnvelope).error === 'object' && (body as ErrorEnvelope).error !== null;

/** A failed answer as a problem: the envelope's fields when the body is one, else the status. */
export function problemFromAnswer(status: number, body: unknown, traceHeader: string | null): ApiProblem {
  if (isEnvelope(body)) {
    const { code, message, traceId } = body.error;
    return {
      code: typeof code === 'string' ? code : `HTTP_${status}`,
      message: typeof message === 'string' ? message : `The gateway answered ${status}`,
      traceId: typeof traceId === 'string' ? traceId : traceHeader,
      status,
    };
  }
  const text = typeof body === 'string' && body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
  return { code: `HTTP_${status}`, message: `The gateway answered ${status}${text}`, traceId: traceHeader, status };
}

/** A call that got no answer (network down, gateway stopped, CORS refusal). */
export function problemFromFailure(cause: unknown): ApiProblem {
  if (cause instanceof ApiError) return cause.problem;
  const detail = cause instanceof Error && cause.message ? ` (${cause.message})` : '';
  return { code: 'NETWORK', message: `The gateway could not be reached${detail}. Check that it is running and try again.`, traceId: null, status: null };
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * The data of an openapi-fetch call, or an ApiError with the problem:
 * `const session = await unwrap(api.GET('/sessions/{id}', …))`.
 */
export async function unwrap<T>(pending: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch (cause) {
    throw new ApiError(problemFromFailure(cause));
  }
  if (answer.error !== undefined || !answer.response.ok) {
    throw new ApiError(problemFromAnswer(answer.response.status, answer.error, answer.response.headers.get(TRACE_HEADER)));
  }
  return answer.data as T;
}
