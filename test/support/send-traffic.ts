import { randomUUID } from 'node:crypto';
import type { WaSimClient } from '../../apps/wa-sim/src/client/wa-sim-client';

/** What the send route answers: the message id when accepted, the error envelope when refused. */
interface SendReply {
  waMessageId?: string;
  error?: { code?: string; details?: { retryAfterSeconds?: number } };
}

/** A message the gateway accepted (201 sent, 202 queued): it must reach the contact exactly once. */
export interface AcceptedMessage {
  sessionId: string;
  waMessageId: string;
  text: string;
}

/** A message that was never accepted: refused for good, or still refused when its time ran out. */
export interface RefusedMessage {
  sessionId: string;
  text: string;
  status: number;
  code: string | undefined;
}

/** One session's longest run of refusals (SESSION_NOT_READY and the like) before a send was accepted again. */
export interface Unavailability {
  sessionId: string;
  ms: number;
}

export interface SendTrafficOptions {
  baseUrl: string;
  apiKey: string;
  sessionIds: string[];
  /** The contact every message goes to (digits). */
  to: string;
  /** Sends under way at once (each lane sends, waits for the answer, pauses, sends the next). */
  lanes: number;
  pauseMs: number;
  /** How long one message keeps being retried while the gateway says "retry later". */
  giveUpAfterMs?: number;
  /** Longest pause before a retry, whatever Retry-After says (default 1 s; shorter measures unavailability finer). */
  retryCapMs?: number;
}

/** Errors that mean "not now, retry shortly": the session is moving, reconnecting or being placed. */
const RETRYABLE = new Set(['SESSION_NOT_READY', 'WORKER_NOT_OWNER', 'NO_WORKER_AVAILABLE', 'WORKER_TIMEOUT', 'CONFLICT']);

/**
 * Steady sends through the gateway's API to many sessions, the way a careful client sends: one
 * Idempotency-Key per message, retried with the same key while the answer says to retry (after the
 * Retry-After it gives, capped at `retryCapMs`, to keep the load steady). Records what was accepted,
 * what was refused, and how long each session kept refusing.
 */
export class SendTraffic {
  readonly accepted: AcceptedMessage[] = [];
  readonly refused: RefusedMessage[] = [];
  private readonly refusingSince = new Map<string, number>();
  private readonly longestRefusal = new Map<string, number>();
  private stopping = false;
  private lanes: Promise<void>[] = [];
  private next = 0;
  private readonly run = randomUUID().slice(0, 8);

  constructor(private readonly options: SendTrafficOptions) {}

  /** What every text of this traffic starts with (to tell its messages from others in the simulator's log). */
  get textPrefix(): string {
    return `traffic ${this.run} `;
  }

  start(): this {
    this.stopping = false;
    this.lanes = Array.from({ length: this.options.lanes }, () => this.lane());
    return this;
  }

  /** Stops after the sends under way (and their retries) are answered. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.lanes);
  }

  /** Each session's longest stretch of refusals, longest first. */
  unavailability(): Unavailability[] {
    return [...this.longestRefusal].map(([sessionId, ms]) => ({ sessionId, ms })).sort((a, b) => b.ms - a.ms);
  }

  private async lane(): Promise<void> {
    while (!this.stopping) {
      const index = this.next++;
      const sessionId = this.options.sessionIds[index % this.options.sessionIds.length];
      await this.sendOne(sessionId, `${this.textPrefix}#${index}`);
      await sleep(this.options.pauseMs);
    }
  }

  private async sendOne(sessionId: string, text: string): Promise<void> {
    const key = `${this.run}-${text.split('#')[1]}`;
    const deadline = Date.now() + (this.options.giveUpAfterMs ?? 60_000);
    for (;;) {
      const { status, body } = await this.post(sessionId, text, key);
      if (status === 201 || status === 202) {
        this.accepted.push({ sessionId, waMessageId: body!.waMessageId!, text });
        this.available(sessionId);
        return;
      }
      const code = body?.error?.code;
      const retryAfterSeconds = body?.error?.details?.retryAfterSeconds;
      // SESSION_NOT_READY and CONFLICT are worth a retry only when they say when (passing, not final).
      const saysWhen = retryAfterSeconds !== undefined || (code !== 'SESSION_NOT_READY' && code !== 'CONFLICT');
      const retryable = status === 0 || (code !== undefined && RETRYABLE.has(code) && saysWhen);
      if (!retryable || Date.now() > deadline) {
        this.refused.push({ sessionId, text, status, code });
        return;
      }
      if (!this.refusingSince.has(sessionId)) this.refusingSince.set(sessionId, Date.now());
      await sleep(Math.min(this.options.retryCapMs ?? 1_000, (retryAfterSeconds ?? 0.2) * 1_000));
    }
  }

  private available(sessionId: string): void {
    const since = this.refusingSince.get(sessionId);
    if (since === undefined) return;
    this.refusingSince.delete(sessionId);
    this.longestRefusal.set(sessionId, Math.max(this.longestRefusal.get(sessionId) ?? 0, Date.now() - since));
  }

  private async post(sessionId: string, text: string, key: string): Promise<{ status: number; body: SendReply | null }> {
    try {
      const response = await fetch(`${this.options.baseUrl}/agents/${sessionId}/messages`, {
        method: 'POST',
        headers: { 'x-api-key': this.options.apiKey, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ to: this.options.to, message: text }),
        signal: AbortSignal.timeout(60_000),
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as SendReply | null };
    } catch {
      // No answer (timeout, connection reset): the same key is sent again, so it is accepted at most once.
      return { status: 0, body: null };
    }
  }
}

/** How the contact's phone saw the accepted messages: missing ones, ones sent more than once, ones nobody accepted. */
export interface DeliveryReport {
  accepted: number;
  delivered: number;
  missing: string[];
  resent: Array<{ waMessageId: string; transmissions: number }>;
  unexpected: string[];
}

/**
 * Waits until the simulator logged every accepted message (or `timeoutMs` passed), then compares:
 * the contact's phone keeps one record per message id and counts resends in `transmissions`.
 */
export async function deliveryReport(
  sim: WaSimClient,
  to: string,
  accepted: readonly AcceptedMessage[],
  textPrefix: string,
  timeoutMs = 60_000,
): Promise<DeliveryReport> {
  const wanted = new Set(accepted.map((message) => message.waMessageId));
  const deadline = Date.now() + timeoutMs;
  let records = await sim.sentMessages({ to });
  while (Date.now() < deadline && [...wanted].some((id) => !records.some((record) => record.messageId === id))) {
    await sleep(250);
    records = await sim.sentMessages({ to });
  }
  const ours = records.filter((record) => record.text?.startsWith(textPrefix));
  const seen = new Set(ours.map((record) => record.messageId));
  return {
    accepted: wanted.size,
    delivered: ours.filter((record) => wanted.has(record.messageId)).length,
    missing: [...wanted].filter((id) => !seen.has(id)),
    resent: ours.filter((record) => record.transmissions > 1).map((record) => ({ waMessageId: record.messageId, transmissions: record.transmissions })),
    unexpected: ours.filter((record) => !wanted.has(record.messageId)).map((record) => record.messageId),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
