import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { OutboxSendRepository } from '@app/db';
import { SessionSupervisor } from '../sessions/session-supervisor.service';

/** How often held sessions' outboxes are checked for messages nobody asked this worker to send. */
const SWEEP_INTERVAL_MS = 2_000;

/**
 * Backstop for messages put into an outbox without this worker (a producer's fallback while the
 * owner did not answer, a hand-over racing an accept): connected sessions whose drainer believes
 * its outbox empty are checked, and those with waiting messages read their outbox again.
 */
@Injectable()
export class OutboxSweeper {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly outbox: OutboxSendRepository,
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
      const idle = this.supervisor.heldRuntimes().filter((runtime) => runtime.connected && runtime.outboxIdle);
      const pending = await this.outbox.sessionsWithPending(idle.map((runtime) => runtime.sessionId));
      for (const sessionId of pending) this.supervisor.runtimeIfHeld(sessionId)?.resyncOutbox();
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox sweep failed');
    }
  }
}
