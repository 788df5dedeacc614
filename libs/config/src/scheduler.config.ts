import { IsInt, IsPositive, IsString, Max, Min } from 'class-validator';
import { ToNumber } from './env-transforms';
import { SendingConfig } from './sending.config';

/**
 * The scheduler runs accepted sends (bulk jobs, scheduled messages) through the outbox, so it
 * reads the sending settings too (SEND_QUEUE_MAX, IDEMPOTENCY_TTL_HOURS, TEMP_DIR …).
 */
export class SchedulerConfig extends SendingConfig {
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(65535)
  SCHEDULER_METRICS_PORT = 9600;

  @IsString()
  SCHEDULER_METRICS_HOST = '0.0.0.0';

  /** Decimals allowed (0.05 = every 3 s), which keeps tests short. */
  @ToNumber()
  @IsPositive()
  TEMP_CLEANUP_INTERVAL_MINUTES = 30;

  @ToNumber()
  @IsPositive()
  TEMP_FILE_MAX_AGE_HOURS = 24;

  /** How long a session worker may take to answer a command, beyond the wait the command asks for. */
  @ToNumber()
  @IsInt()
  @Min(100)
  WORKER_RPC_TIMEOUT_MS = 10_000;

  /**
   * How long a bulk job item or a due scheduled message may take to be sent. After that a message
   * still waiting in the outbox is failed (a bulk job then stops as failed); one being sent is
   * waited for, since it may already be with WhatsApp.
   */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  DELIVERY_SETTLE_TIMEOUT_MS = 300_000;

  /** Bulk jobs one scheduler runs at the same time (each sends its items one after another). */
  @ToNumber()
  @IsInt()
  @Min(1)
  BULK_JOB_CONCURRENCY = 20;

  /** Due scheduled messages one scheduler sends at the same time. */
  @ToNumber()
  @IsInt()
  @Min(1)
  SCHEDULE_CONCURRENCY = 100;

  /**
   * How often the scheduler looks for bulk jobs and due scheduled messages without a BullMQ job
   * (the gateway died between accepting and queueing, Redis lost data) and queues them.
   */
  @ToNumber()
  @IsInt()
  @Min(100)
  SCHEDULER_SWEEP_INTERVAL_MS = 5_000;

  /** How often expired Idempotency-Key records and unreferenced media are deleted (minutes; decimals allowed). */
  @ToNumber()
  @IsPositive()
  PURGE_INTERVAL_MINUTES = 60;

  /** Media no waiting message refers to are deleted once older than this (hours; decimals allowed). */
  @ToNumber()
  @IsPositive()
  MEDIA_RETENTION_HOURS = 24;

  /** How often the queue_jobs gauge is refreshed. */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  QUEUE_METRICS_INTERVAL_MS = 15_000;
}
