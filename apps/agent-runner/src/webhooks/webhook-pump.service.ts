import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import { AgentRunnerConfig } from '@app/config';
import { WEBHOOK_HEADERS, WEBHOOK_RETRY_DELAYS, WEBHOOK_RETRY_WINDOW } from '@app/contracts';
import { signPayload } from '@app/crypto';
import { WebhookDeliveryQueue, type ClaimedDelivery, type RetrySchedule } from '@app/db';
import { METRICS } from '@app/observability';
import { SafeFetchError } from '@app/safe-fetch';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookTargetResolver } from './webhook-target.resolver';

type Outcome = 'delivered' | 'retrying' | 'failed';

/** Label of the webhook attempts in jobs_processed_total (the name the BullMQ queue had). */
const METRIC_QUEUE = 'webhook-deliveries';
/** A claim outlives the request's timeout by this much, so a slow attempt is never sent twice. */
const CLAIM_MARGIN_MS = 30_000;
/** Destinations that can never take the delivery as configured: retrying cannot help. */
const HOPELESS: ReadonlySet<string> = new Set(['blocked', 'invalid-url', 'too-many-redirects']);

const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
};

/**
 * Sends due webhook deliveries (WebhookDeliveryQueue decides which, keeping each session's order
 * and pausing failing endpoints): up to WEBHOOK_CONCURRENCY at once, woken by every new event and
 * otherwise every WEBHOOK_POLL_INTERVAL_MS. A crash mid-attempt only delays: the claim lapses and
 * the delivery is sent again (receivers dedupe by `x-wagw-delivery`).
 */
@Injectable()
export class WebhookPump implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly schedule: RetrySchedule;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private nudged = false;

  constructor(
    private readonly queue: WebhookDeliveryQueue,
    private readonly targets: WebhookTargetResolver,
    private readonly http: WebhookHttpClient,
    private readonly config: AgentRunnerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.jobsProcessed.name) private readonly processed: Counter<string>,
  ) {
    logger.setContext(WebhookPump.name);
    this.schedule = { delays: WEBHOOK_RETRY_DELAYS, unitMs: config.WEBHOOK_RETRY_UNIT_MS, windowUnits: WEBHOOK_RETRY_WINDOW };
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops before the database client closes (its module's destroy hook may come next). */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Something became due (a new event, a finished attempt): look now instead of at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.nudged = false;
      const free = this.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const deliveries = await this.queue.claimDue(free, this.config.WEBHOOK_TIMEOUT_MS + CLAIM_MARGIN_MS);
          claimed = deliveries.length;
          for (const delivery of deliveries) this.track(this.attempt(delivery));
        } catch (error) {
          this.logger.warn({ err: error }, 'webhook deliveries could not be claimed; trying again at the next poll');
        }
      }
      if (claimed === 0 && !this.nudged) await this.sleep(this.config.WEBHOOK_POLL_INTERVAL_MS);
    }
  }

  private track(attempt: Promise<void>): void {
    this.inFlight.add(attempt);
    void attempt.finally(() => {
      this.inFlight.delete(attempt);
      this.nudge();
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    try {
      this.count(await this.deliver(delivery));
    } catch (error) {
      // The outcome could not be recorded (database gone): the claim lapses and it is tried again.
      this.logger.warn({ err: error, deliveryId: delivery.id, sessionId: delivery.sessionId }, 'webhook outcome not recorded');
    }
  }

  private async deliver(delivery: ClaimedDelivery): Promise<Outcome> {
    const target = await this.targets.resolve(delivery.sessionId);
    if (!target) {
      await this.queue.recordGivenUp(delivery, { statusCode: null, error: 'the session has no webhook any more' });
      return 'failed';
    }
    if (target.url !== delivery.url) await this.queue.retarget(delivery, target.url);
    const body = JSON.stringify(delivery.payload);
    const headers: Record<string, string> = { [WEBHOOK_HEADERS.event]: delivery.event, [WEBHOOK_HEADERS.delivery]: delivery.id };
    if (target.secret) headers[WEBHOOK_HEADERS.signature] = signPayload(target.secret, body, Math.floor(Date.now() / 1000));
    let statusCode: number | null = null;
    let error: string;
    try {
      statusCode = (await this.http.post(target.url, body, headers, this.config.WEBHOOK_TIMEOUT_MS)).statusCode;
      if (statusCode >= 200 && statusCode < 300) {
        await this.queue.recordDelivered(delivery, target.url, statusCode);
        return 'delivered';
      }
      error = `HTTP ${statusCode}`;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
      if (failure instanceof SafeFetchError && HOPELESS.has(failure.reason)) {
        await this.queue.recordGivenUp(delivery, { statusCode: null, error });
        return 'failed';
      }
    }
    const pausedUntil = await this.queue.recordFailure(delivery, target.url, { statusCode, error }, this.schedule);
    // The URL's origin only: a path or query string may carry the receiver's own token.
    this.logger.warn(
      { deliveryId: delivery.id, sessionId: delivery.sessionId, endpoint: originOf(target.url), error, pausedUntil },
      'webhook attempt failed; endpoint paused',
    );
    return 'retrying';
  }

  private count(outcome: Outcome): void {
    this.processed.inc({ queue: METRIC_QUEUE, job: 'deliver-webhook', outcome });
  }
}
