import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import type { SchedulerConfig } from '@app/config';

/** What a sweeper logs: after a sweep that queued something, and after one that failed. */
export interface SweepLogMessages {
  queued: string;
  failed: string;
}

/**
 * The scheduler's sweeps queue rows that have no BullMQ job although they should (the gateway died
 * between storing and queueing one, Redis lost data). Each runs once on start and then every
 * SCHEDULER_SWEEP_INTERVAL_MS; a failed sweep is logged and left to the next one. Subclasses say
 * which rows to queue.
 */
export abstract class PeriodicSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running = false;

  protected constructor(
    protected readonly config: SchedulerConfig,
    private readonly logger: PinoLogger,
    private readonly messages: SweepLogMessages,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => {
      // A slow sweep (a large backlog) is not overlapped by the next one.
      if (!this.running) void this.sweep();
    }, this.config.SCHEDULER_SWEEP_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Returns how many rows it queued. */
  async sweep(): Promise<number> {
    this.running = true;
    try {
      const queued = await this.queueMissing();
      if (queued > 0) this.logger.warn({ queued }, this.messages.queued);
      return queued;
    } catch (error) {
      this.logger.warn({ err: error }, this.messages.failed);
      return 0;
    } finally {
      this.running = false;
    }
  }

  /** Queues the rows that lack their BullMQ job; returns how many it queued. */
  protected abstract queueMissing(): Promise<number>;
}
