import { Injectable } from '@nestjs/common';
import { AppError, WORKER_COMMANDS, type DeliveryState } from '@app/contracts';
import { deliveryStateOf, OutboundMessageRepository } from '@app/db';
import { SessionCommandRouter } from '@app/transport';

/**
 * Worker answers that mean "no owner can send it right now" (failover in progress, no worker,
 * worker busy or gone): the message stays in the outbox and the session's next owner sends it.
 */
const OWNER_UNAVAILABLE: ReadonlySet<string> = new Set(['WORKER_TIMEOUT', 'SESSION_NOT_READY', 'NO_WORKER_AVAILABLE', 'WORKER_NOT_OWNER', 'BAD_GATEWAY']);

/** Time for the worker's answer on top of how long it was asked to wait. */
const ANSWER_MARGIN_MS = 5_000;

/**
 * Asks the worker owning a session to send what its outbox holds and to answer once one accepted
 * message is settled or `waitMs` passed (bulk jobs and schedules wait for their items this way).
 * When no owner can answer now, the answer is the message's stored state: the outbox sends it
 * later regardless.
 */
@Injectable()
export class DeliveryRequester {
  constructor(
    private readonly router: SessionCommandRouter,
    private readonly outbox: OutboundMessageRepository,
  ) {}

  async request(sessionId: string, state: DeliveryState, waitMs: number, traceId: string): Promise<DeliveryState> {
    try {
      return await this.router.send(
        sessionId,
        WORKER_COMMANDS.sessionDeliver,
        { sessionId, outboundId: state.outboundId, waitMs, traceId },
        waitMs + ANSWER_MARGIN_MS,
      );
    } catch (error) {
      if (!(error instanceof AppError && OWNER_UNAVAILABLE.has(error.code))) throw error;
      // It may have been settled meanwhile another way (a cancel, the session's next owner).
      const record = await this.outbox.find(state.outboundId);
      return record ? deliveryStateOf(record) : state;
    }
  }
}
