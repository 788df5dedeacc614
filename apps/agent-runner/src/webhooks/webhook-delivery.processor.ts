import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import { AgentRunnerConfig } from '@app/config';
import { QUEUES, WEBHOOK_HEADERS, type DeliverWebhookJob } from '@app/contracts';
import { SecretBox, signPayload } from '@app/crypto';
import { SessionWebhookRepository, WebhookDeliveryRepository, type WebhookDeliveryRecord } from '@app/db';
import { METRICS } from '@app/observability';
import { WebhookHttpClient } from './webhook-http.client';

type Outcome = 'delivered' | 'retrying' | 'failed' | 'skipped';

/** One attempt of one webhook delivery; BullMQ retries failures with exponential backoff. */
@Processor(QUEUES.webhookDeliveries)
export class WebhookDeliveryProcessor extends WorkerHost {
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly targets: SessionWebhookRepository,
    private readonly http: WebhookHttpClient,
    private readonly secrets: SecretBox,
    private readonly config: AgentRunnerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.jobsProcessed.name) private readonly processed: Counter<string>,
  ) {
    super();
    logger.setContext(WebhookDeliveryProcessor.name);
  }

  async process(job: Job<DeliverWebhookJob>): Promise<Outcome> {
    const delivery = await this.deliveries.find(job.data.deliveryId);
    if (!delivery || delivery.status !== 'pending') return this.count(job, 'skipped');
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const target = await this.targets.findTarget(delivery.sessionId);
    if (!target) {
      await this.deliveries.recordFailure(delivery.id, { statusCode: null, error: 'webhook removed from session', nextAttemptAt: null }, true);
      return this.count(job, 'failed');
    }
    const statusCode = await this.attempt(delivery, target.secretCipher).catch((error: Error) => error);
    if (typeof statusCode === 'number' && statusCode >= 200 && statusCode < 300) {
      await this.deliveries.markDelivered(delivery.id, statusCode);
      return this.count(job, 'delivered');
    }
    const error = typeof statusCode === 'number' ? `HTTP ${statusCode}` : statusCode.message;
    const nextAttemptAt = final ? null : new Date(Date.now() + this.config.WEBHOOK_RETRY_BASE_MS * 2 ** job.attemptsMade);
    await this.deliveries.recordFailure(delivery.id, { statusCode: typeof statusCode === 'number' ? statusCode : null, error, nextAttemptAt }, final);
    this.logger.warn({ deliveryId: delivery.id, sessionId: delivery.sessionId, error, final }, 'webhook attempt failed');
    this.count(job, final ? 'failed' : 'retrying');
    throw new Error(`Webhook delivery ${delivery.id} failed: ${error}`);
  }

  private async attempt(delivery: WebhookDeliveryRecord, secretCipher: string | null): Promise<number> {
    const body = JSON.stringify(delivery.payload);
    const headers: Record<string, string> = {
      [WEBHOOK_HEADERS.event]: delivery.event,
      [WEBHOOK_HEADERS.delivery]: delivery.id,
    };
    if (secretCipher) {
      headers[WEBHOOK_HEADERS.signature] = signPayload(this.secrets.open(secretCipher), body, Math.floor(Date.now() / 1000));
    }
    const response = await this.http.post(delivery.url, body, headers, this.config.WEBHOOK_TIMEOUT_MS);
    return response.statusCode;
  }

  private count(job: Job, outcome: Outcome): Outcome {
    this.processed.inc({ queue: QUEUES.webhookDeliveries, job: job.name, outcome });
    return outcome;
  }
}
