import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import { AgentRunnerConfig } from '@app/config';
import { eventEnvelopeIds, JOBS, QUEUES, WEBHOOK_EVENTS, type InboundMessageEvent, type PhoneSentMessageEvent } from '@app/contracts';
import { METRICS } from '@app/observability';
import { HistoryRecorder } from '../history/history.recorder';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';
import { AgentResponder } from './agent-responder.service';
import { InboundProgressStore, type InboundStep } from './inbound-progress.store';

/** The webhook event id of a received message: a re-processed message never makes a second delivery. */
const messageReceivedEventId = (event: InboundMessageEvent): string => eventEnvelopeIds.messageReceived(event);

/**
 * Everything that happens with a message a session received (QUEUES.inboundMessages, one job per
 * WhatsApp message id): (a) history, behind the allowed-number gate; (b) the `message.received`
 * webhook; (c) the AI agent. Each step is marked finished only after it finished; a failing step
 * does not hold up the others, and the retry (BullMQ backoff) redoes only the unfinished ones.
 */
@Processor(QUEUES.inboundMessages)
export class InboundMessagesProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly steps: ReadonlyArray<[InboundStep, (event: InboundMessageEvent) => Promise<unknown>]> = [
    ['history', (event) => this.history.recordInbound(event)],
    [
      'webhook',
      (event) =>
        this.dispatcher.dispatch({
          eventId: messageReceivedEventId(event),
          event: WEBHOOK_EVENTS.messageReceived,
          sessionId: event.sessionId,
          occurredAt: event.sentAt,
          data: event,
        }),
    ],
    ['agent', (event) => this.agent.respond(event)],
  ];

  constructor(
    private readonly progress: InboundProgressStore,
    private readonly history: HistoryRecorder,
    private readonly dispatcher: WebhookDispatcher,
    private readonly agent: AgentResponder,
    private readonly config: AgentRunnerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.jobsProcessed.name) private readonly processed: Counter<string>,
  ) {
    super();
    logger.setContext(InboundMessagesProcessor.name);
  }

  /** AI calls take seconds: many messages are worked on at once, not one after the other. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.INBOUND_CONCURRENCY;
  }

  async process(job: Job<InboundMessageEvent | PhoneSentMessageEvent>): Promise<string> {
    // Written on the session's phone: history only (it is the account's own message: no webhook, no AI).
    if (job.name === JOBS.messageSentFromPhone) return this.history.recordSentFromPhone(job.data as PhoneSentMessageEvent);
    if (job.name !== JOBS.messageReceived) throw new Error(`Unknown inbound job ${job.name}`);
    const event = job.data as InboundMessageEvent;
    const finished = await this.progress.finishedSteps(event);
    const failures: string[] = [];
    for (const [step, run] of this.steps) {
      if (finished.has(step)) continue;
      try {
        await run(event);
        await this.progress.markFinished(event, step);
      } catch (error) {
        failures.push(`${step}: ${(error as Error).message}`);
        this.logger.warn(
          { err: error, step, sessionId: event.sessionId, waMessageId: event.waMessageId, traceId: event.traceId },
          'inbound step failed; retried',
        );
      }
    }
    const outcome = failures.length > 0 ? 'retrying' : finished.size > 0 ? 'resumed' : 'done';
    this.processed.inc({ queue: QUEUES.inboundMessages, job: job.name, outcome });
    if (failures.length > 0) throw new Error(`Inbound message ${event.waMessageId}: ${failures.join('; ')}`);
    return outcome;
  }
}
