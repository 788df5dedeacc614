import { AppError } from '@app/contracts';

/**
 * RATE_LIMITED with the status the installation configured (RATE_LIMIT_STATUS_CODE, seed 000),
 * which need not be 429; the exception filter takes the status from `httpStatus`.
 */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    private readonly status: number,
  ) {
    super('RATE_LIMITED', message);
  }

  override get httpStatus(): number {
    return this.status;
  }
}
