/** A failure the control API reports as `{ error: { code, message } }` with the given HTTP status. */
export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SimError';
  }

  static notFound(code: string, message: string): SimError {
    return new SimError(code, message, 404);
  }

  static conflict(code: string, message: string): SimError {
    return new SimError(code, message, 409);
  }
}
