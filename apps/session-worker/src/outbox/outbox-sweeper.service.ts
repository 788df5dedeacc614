import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { OutboundMessageRepository } from '@app/db';
import { SessionSupervisor } from '../sessions/session-supervisor.service';

/** How often held sessions' outboxes are checked for messages nobody asked this worker to send. */
const SWEEP_INTERVAL_MS = 2_000;

/**
 * Backstop for messages accepted while their deliver command went astray (the gateway died in
 * between, a hand-over raced it): every held session with waiting messages gets its outbox kicked.
 */
@Injectable()
export class OutboxSweeper {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly outbox: OutboundMessageRepository,
    private readonly supervisor: SessionSupervisor,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(OutboxSweeper.name);
  }

  start(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    try {
      const pending = await this.outbox.sessionsWithPending(this.supervisor.heldSessionIds());
      for (const sessionId of pending) this.supervisor.runtimeIfHeld(sessionId)?.kickOutbox();
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox sweep failed');
    }
  }
}
