import type { PinoLogger } from 'nestjs-pino';
import type { SessionWorkerConfig } from '@app/config';
import { AppError, type DeliveryStatus, type OutboundDraft } from '@app/contracts';
import type { MediaRepository, OutboundMessageRepository, OutboundRecord, OutboxAcceptOutcome, OutboxAcceptRow, OutboxSendRepository } from '@app/db';
import type { PacingDecision, SendPacer } from '@app/redis';
import type { SessionLink } from '../sessions/session-link';
import type { OutgoingMessage } from '../whatsapp/whatsapp-connection';
import type { MessageEventsPublisher } from './message-events.publisher';
import { OutboxDrainer } from './outbox-drainer';
import type { OutboxWriter } from './outbox.writer';

const SESSION = 'session-1';
const EPOCH = 7;

/**
 * The session's outbox as the drainer's collaborators see it, in memory: the real statements are
 * covered against PostgreSQL in libs/db; here the drainer's own decisions are under test.
 */
class MemoryOutbox {
  readonly rows: OutboundRecord[] = [];
  epoch = EPOCH;
  /** Accepts wait for this gate when set (to observe what happens before a write is stored). */
  gate: Promise<void> | null = null;
  readonly marked: string[] = [];

  async accept(row: OutboxAcceptRow): Promise<OutboxAcceptOutcome> {
    await this.gate;
    if (row.epoch !== null && row.epoch !== this.epoch) return { outcome: 'stale' };
    const same = this.rows.find((existing) => row.idempotencyKey && existing.idempotencyKey === row.idempotencyKey);
    if (same) return { outcome: 'duplicate', record: same };
    const pending = this.rows.filter((existing) => existing.status === 'queued' || existing.status === 'sending').length;
    if (row.queueLimit > 0 && pending >= row.queueLimit) return { outcome: 'queue-full', pending };
    const record = this.record(row, row.claim ? 'sending' : 'queued', row.claim ? 1 : 0);
    this.rows.push(record);
    return { outcome: 'created', record };
  }

  async advance(_sessionId: string, epoch: number, holding: string[], claim: boolean) {
    if (epoch !== this.epoch) return { leaseCurrent: false, next: null, nextRetryAt: null };
    const next = this.rows.find(
      (row) => (row.status === 'queued' || row.status === 'sending') && !holding.includes(row.id) && (!row.retryAt || row.retryAt <= new Date()),
    );
    if (next && claim) Object.assign(next, { status: 'sending', attempts: next.attempts + 1 });
    // Like the real statement: when nothing is due, the earliest retry still to come (a timer may
    // fire a millisecond before Date.now() reaches it).
    const retryTimes = this.rows.filter((row) => row.status === 'queued' && row.retryAt).map((row) => row.retryAt!.getTime());
    const nextRetryAt = next || retryTimes.length === 0 ? null : new Date(Math.min(...retryTimes));
    return { leaseCurrent: true, next: next ? { ...next } : null, nextRetryAt };
  }

  async claim(id: string, _sessionId: string, epoch: number): Promise<'claimed' | 'settled' | 'stale'> {
    if (epoch !== this.epoch) return 'stale';
    const row = this.find(id);
    if (!row || (row.status !== 'queued' && row.status !== 'sending')) return 'settled';
    Object.assign(row, { status: 'sending', attempts: row.attempts + 1 });
    return 'claimed';
  }

  async markSent(record: OutboundRecord): Promise<void> {
    this.marked.push(record.id);
    Object.assign(this.find(record.id)!, { status: 'sent' });
  }

  async scheduleRetry(id: string, error: string, retryAt: Date): Promise<void> {
    Object.assign(this.find(id)!, { status: 'queued', error, retryAt });
  }

  async markFailed(id: string, error: string): Promise<void> {
    Object.assign(this.find(id)!, { status: 'failed', error });
  }

  async failPending(_sessionId: string, error: string): Promise<OutboundRecord[]> {
    const pending = this.rows.filter((row) => row.status === 'queued' || row.status === 'sending');
    for (const row of pending) Object.assign(row, { status: 'failed', error });
    return pending;
  }

  find(id: string): OutboundRecord | undefined {
    return this.rows.find((row) => row.id === id);
  }

  record(row: Partial<OutboxAcceptRow> & { id: string; waMessageId: string; toJid: string }, status: DeliveryStatus, attempts: number): OutboundRecord {
    return {
      id: row.id,
      sessionId: SESSION,
      waMessageId: row.waMessageId,
      toJid: row.toJid,
      kind: 'text',
      content: row.content ?? { kind: 'text', text: row.waMessageId },
      status,
      attempts,
      error: null,
      retryAt: null,
      idempotencyKey: row.idempotencyKey ?? null,
      jobId: null,
      jobIndex: null,
      scheduleId: null,
      traceId: null,
      createdAt: new Date(),
      sentAt: null,
      deliveredAt: null,
      readAt: null,
    };
  }
}

function setUp(options: { paced?: (recipient: string) => PacingDecision; queueMax?: number } = {}) {
  const outbox = new MemoryOutbox();
  const sent: string[] = [];
  const link = {
    connected: true,
    failNext: null as Error | null,
    async send(message: OutgoingMessage) {
      if (this.failNext) {
        const failure = this.failNext;
        this.failNext = null;
        throw failure;
      }
      sent.push(message.messageId);
    },
  };
  const holder = {
    lost: [] as string[],
    leaseLost(sessionId: string) {
      this.lost.push(sessionId);
    },
    ended() {},
  };
  const events: Array<[string, DeliveryStatus]> = [];
  const pacer = {
    paced: async () => options.paced !== undefined,
    reserve: async (_sessionId: string, recipient: string) => options.paced!(recipient),
    maxAttempts: async () => 3,
  };
  const config = { SEND_QUEUE_MAX: options.queueMax ?? 0, MAX_SEND_ATTEMPTS: 3, SEND_RETRY_BASE_MS: 50, SEND_RETRY_MAX_MS: 100 };
  const logger = { warn: () => undefined };
  const drainer = new OutboxDrainer(
    { sessionId: SESSION, epoch: EPOCH, lease: { sessionId: SESSION, workerId: 'w1', token: 't' } },
    link as unknown as SessionLink,
    holder,
    {
      accept: (row: OutboxAcceptRow) => outbox.accept(row),
      markSent: (record: OutboundRecord) => outbox.markSent(record),
      receipt: async () => undefined,
    } as unknown as OutboxWriter,
    outbox as unknown as OutboxSendRepository,
    {
      find: async (id: string) => outbox.find(id) ?? null,
      scheduleRetry: outbox.scheduleRetry.bind(outbox),
      markFailed: outbox.markFailed.bind(outbox),
      failPending: outbox.failPending.bind(outbox),
    } as unknown as OutboundMessageRepository,
    {} as MediaRepository,
    pacer as unknown as SendPacer,
    { publish: (record: OutboundRecord, status: DeliveryStatus) => void events.push([record.id, status]) } as unknown as MessageEventsPublisher,
    config as unknown as SessionWorkerConfig,
    logger as unknown as PinoLogger,
  );
  return { outbox, sent, link, holder, events, drainer };
}

let counter = 0;
const draft = (overrides: Partial<OutboundDraft> = {}): OutboundDraft => ({
  waMessageId: `3EB0${String((counter += 1)).padStart(18, '0')}`,
  toJid: '6281111111111@s.whatsapp.net',
  content: { kind: 'text', text: `message ${counter}` },
  traceId: 't',
  ...overrides,
});

/** Waits until `check` holds (timers of retries and pacing are real; a loaded machine makes them late). */
async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  for (const started = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
  }
}

/** A drainer that has read its (empty) outbox once, as after a session connects. */
async function synced(setup: ReturnType<typeof setUp>) {
  await setup.drainer.kick();
  return setup;
}

describe('OutboxDrainer', () => {
  it('reads the outbox in order on its first pass, then takes new messages in memory, claimed as they are inserted', async () => {
    const setup = setUp();
    const older = setup.outbox.record({ id: 'older', waMessageId: 'OLD1', toJid: 'x' }, 'queued', 0);
    const inFlight = setup.outbox.record({ id: 'in-flight', waMessageId: 'OLD2', toJid: 'x' }, 'sending', 1);
    setup.outbox.rows.push(older, inFlight);
    await setup.drainer.kick();
    // A message a previous owner may already have sent goes out again under its own id.
    expect(setup.sent).toEqual(['OLD1', 'OLD2']);

    const answer = await setup.drainer.accept(draft({ waMessageId: 'NEW1' }), 5_000);
    expect(answer).toMatchObject({ status: 'sent', created: true, attempts: 1 });
    expect(setup.outbox.find(answer.outboundId)?.attempts).toBe(1);
    expect(setup.sent).toEqual(['OLD1', 'OLD2', 'NEW1']);
  });

  it('does not answer before the accepted message is stored', async () => {
    const { outbox, drainer, sent } = await synced(setUp());
    let release!: () => void;
    outbox.gate = new Promise((resolve) => (release = resolve));
    let answered = false;
    const answer = drainer.accept(draft(), 5_000).then((result) => ((answered = true), result));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    expect(sent).toEqual([]);
    release();
    expect((await answer).status).toBe('sent');
  });

  it('records each send after it went out, leaving its `sent` event to the write that records it', async () => {
    const { outbox, drainer, events } = await synced(setUp());
    const answer = await drainer.accept(draft(), 5_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(outbox.marked).toEqual([answer.outboundId]);
    expect(outbox.find(answer.outboundId)?.status).toBe('sent');
    expect(events).toEqual([]);
  });

  it('answers the earlier message for a repeated idempotency key, sending once', async () => {
    const { drainer, sent } = await synced(setUp());
    const first = await drainer.accept(draft({ idempotencyKey: 'k' }), 5_000);
    const again = await drainer.accept(draft({ idempotencyKey: 'k' }), 5_000);
    expect(again).toMatchObject({ outboundId: first.outboundId, created: false });
    expect(sent).toHaveLength(1);
  });

  it('gives the session up when its lease epoch is stale', async () => {
    const { outbox, drainer, holder } = await synced(setUp());
    outbox.epoch = EPOCH + 1;
    await expect(drainer.accept(draft(), 5_000)).rejects.toMatchObject({ code: 'WORKER_NOT_OWNER' });
    expect(holder.lost).toEqual([SESSION]);
  });

  it('refuses past the queue limit with RATE_LIMITED', async () => {
    const setup = await synced(setUp({ queueMax: 1 }));
    setup.link.connected = false;
    await setup.drainer.accept(draft(), 0);
    const refused = await setup.drainer.accept(draft(), 0).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 1 } });
  });

  it('holds a message whose pacing permit is for later queued, and skips it when it was cancelled meanwhile', async () => {
    let grant = 0;
    const setup = await synced(setUp({ paced: () => ({ allowed: true, waitMs: grant }) }));
    grant = 60;
    const waiting = await setup.drainer.accept(draft({ waMessageId: 'LATER' }), 0);
    expect(waiting.status).toBe('queued');
    setup.outbox.find(waiting.outboundId)!.status = 'cancelled';
    await setup.drainer.kick();
    expect(setup.sent).toEqual([]);

    const next = await setup.drainer.accept(draft({ waMessageId: 'NEXT' }), 5_000);
    expect(next.status).toBe('sent');
    expect(setup.outbox.find(next.outboundId)?.attempts).toBe(1);
    expect(setup.sent).toEqual(['NEXT']);
  });

  it('queues behind the outbox when pacing refuses, and sends in order once permits come', async () => {
    let allowed = false;
    const setup = await synced(
      setUp({
        paced: () => (allowed ? { allowed: true, waitMs: 0 } : { allowed: false, retryAfterMs: 30, retryAt: new Date(Date.now() + 30), limitedBy: 'rate' }),
      }),
    );
    const first = await setup.drainer.accept(draft({ waMessageId: 'P1' }), 0);
    const second = await setup.drainer.accept(draft({ waMessageId: 'P2' }), 0);
    expect([first.status, second.status]).toEqual(['queued', 'queued']);
    allowed = true;
    await until(() => setup.sent.length === 2, 'both sends');
    expect(setup.sent).toEqual(['P1', 'P2']);
  });

  it('retries a failed send later under the same id, and fails it for good after the last attempt', async () => {
    const setup = await synced(setUp());
    setup.link.failNext = new Error('server said no');
    const answer = await setup.drainer.accept(draft({ waMessageId: 'RETRY' }), 0);
    await until(() => setup.outbox.find(answer.outboundId)?.status === 'sent', 'the retry');
    expect(setup.sent).toEqual(['RETRY']);
    expect(setup.outbox.find(answer.outboundId)).toMatchObject({ status: 'sent', attempts: 2 });

    setup.link.send = async () => {
      throw new Error('always refused');
    };
    const doomed = await setup.drainer.accept(draft({ waMessageId: 'DOOMED' }), 0);
    await until(() => setup.outbox.find(doomed.outboundId)?.status === 'failed', 'giving up');
    expect(setup.outbox.find(doomed.outboundId)).toMatchObject({ status: 'failed', attempts: 3, error: 'always refused' });
    expect(setup.events).toContainEqual([doomed.outboundId, 'failed']);
  });

  it('fails and reports what waits in the outbox when the session ends for good', async () => {
    const setup = await synced(setUp());
    setup.link.connected = false;
    const waiting = await setup.drainer.accept(draft(), 0);
    await setup.drainer.abandon('session logged_out: logged out by request');
    expect(setup.outbox.find(waiting.outboundId)).toMatchObject({ status: 'failed', error: 'session logged_out: logged out by request' });
    expect(setup.events).toEqual([[waiting.outboundId, 'failed']]);
    await expect(setup.drainer.accept(draft(), 0)).rejects.toMatchObject({ code: 'WORKER_NOT_OWNER' });
  });

  it('wakes whoever waits with the stored state when it stops', async () => {
    const setup = await synced(setUp());
    setup.link.connected = false;
    const queued = await setup.drainer.accept(draft(), 0);
    const waiting = setup.drainer.waitFor(queued.outboundId, 5_000);
    setup.drainer.stop();
    expect(await waiting).toMatchObject({ outboundId: queued.outboundId, status: 'sending' });
  });
});
