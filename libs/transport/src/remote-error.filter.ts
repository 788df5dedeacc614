import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { AppError, type RemoteErrorPayload } from '@app/contracts';

/**
 * Worker side of the transport: an AppError crosses to the gateway with its code intact;
 * anything else is logged here with its stack and crosses as a generic INTERNAL error.
 */
@Catch()
export class RemoteErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('WorkerCommand');

  catch(exception: unknown, host: ArgumentsHost): Observable<RemoteErrorPayload> {
    if (exception instanceof AppError) {
      return throwError(() => ({ code: exception.code, message: exception.message, details: exception.details }));
    }
    // A RedisContext on the Redis transport: the channel names the command.
    const context = host.switchToRpc().getContext<{ getChannel?: () => string } | undefined>();
    this.logger.error({ err: exception, pattern: context?.getChannel?.() }, 'worker command failed');
    return throwError(() => ({ code: 'INTERNAL', message: 'The session worker failed to handle the command' }));
  }
}
