import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { inboundJobId, JOBS, QUEUES, type ChatMessage, type PhoneSentMessageEvent } from '@app/contracts';

/** How long a message's job is kept, so a redelivery of the same id is recognised. */
const DEDUPE_WINDOW_S = 24 * 3600;

/**
 * Hands messages the session's account wrote on another device (typed on the phone) to the
 * agent-runner, which stores them in the history when the allowed-numbers gate is open (seed 002),
 * as it does with the session's own sends. Nothing else happens with them: no webhook, no AI.
 */
@Injectable()
export class PhoneMessagePublisher {
  constructor(
    @InjectQueue(QUEUES.inboundMessages) private readonly queue: Queue<PhoneSentMessageEvent>,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(PhoneMessagePublisher.name);
  }

  publish(sessionId: string, ownPhone: string, message: ChatMessage): void {
    const event: PhoneSentMessageEvent = { sessionId, ownPhone, message, traceId: randomUUID() };
    void this.queue
      .add(JOBS.messageSentFromPhone, event, {
        jobId: inboundJobId(sessionId, message.waMessageId),
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: { age: DEDUPE_WINDOW_S },
        removeOnFail: { age: DEDUPE_WINDOW_S },
      })
      .catch((error: Error) => this.logger.error({ err: error, sessionId, waMessageId: message.waMessageId }, 'message written on the phone not queued'));
  }
}
