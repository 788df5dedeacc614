import { randomBytes } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { AgentRunnerConfig, loadConfig } from '@app/config';
import {
  inboundJobId,
  JOBS,
  QUEUES,
  WEBHOOK_HEADERS,
  type InboundMessageEvent,
  type MessageStatusBatchJob,
  type MessageStatusChangedEvent,
} from '@app/contracts';
import { SecretBox, verifySignature } from '@app/crypto';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { HttpRecorder } from '../../../../test/support/http-recorder';
import { baseTestEnv, isolatedPrefix } from '../../../../test/support/test-env';
import { AgentRunnerModule } from '../agent-runner.module';
import { InboundProgressStore } from './inbound-progress.store';

const DEVELOPER = '6289900000001';
const SESSION_KEY = 'sk-session-key-inbound-0001';

/**
 * The inbound processor in-process against this run's PostgreSQL, Redis and BullMQ, with a local
 * AI backend and webhook receiver. No session worker runs: replies and alerts are checked in the
 * outbox (the e2e spec follows them to the simulated phones).
 */
describe('inbound messages (agent-runner)', () => {
  const fixtures = new DbFixtures();
  const ai = new HttpRecorder();
  const hooks = new HttpRecorder();
  let app: INestApplication;
  let inboundQueue: Queue<InboundMessageEvent>;
  let statusQueue: Queue<MessageStatusBatchJob | MessageStatusChangedEvent>;
  let aiUrl: string;
  let hooksUrl: string;
  let box: SecretBox;
  let userId: string;

  const id = () => randomBytes(5).toString('hex').toUpperCase();
  const phone = () => `6281${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

  /** A linked session with its own api key; its number is an allowed number unless said otherwise. */
  async function session(options: { allowed?: boolean; webhook?: boolean } = {}) {
    const own = phone();
    const row = await fixtures.session(userId, options.webhook ? { webhookUrl: `${hooksUrl}/hook`, webhookSecretCipher: box.seal('whsec-inbound-0001') } : {});
    await fixtures.prisma.session.update({ where: { id: row.id }, data: { phone: own, status: 'connected', aiApiKeyCipher: box.seal(SESSION_KEY) } });
    if (options.allowed !== false) await fixtures.prisma.allowedNumber.create({ data: { whatsappNumber: own, sessionId: row.id } });
    return { id: row.id, phone: own };
  }

  function inbound(target: { id: string; phone: string }, overrides: Partial<InboundMessageEvent> = {}): InboundMessageEvent {
    const contact = phone();
    return {
      sessionId: target.id,
      waMessageId: `3EB0${id()}`,
      chatJid: `${contact}@s.whatsapp.net`,
      isGroup: false,
      senderJid: `${contact}@s.whatsapp.net`,
      senderPhone: contact,
      pushName: 'Budi',
      kind: 'text',
      text: 'Halo bot',
      quotedMessageId: null,
      mentions: [],
      mentionsMe: false,
      ownPhone: target.phone,
      sentAt: new Date().toISOString(),
      offline: false,
      traceId: `trace-${id()}`,
      ...overrides,
    };
  }

  /** Adds the job as the worker does and waits until it finished (or failed for good). */
  async function processed(event: InboundMessageEvent): Promise<void> {
    const jobId = inboundJobId(event.sessionId, event.waMessageId);
    await inboundQueue.add(JOBS.messageReceived, event, { jobId, attempts: 3, backoff: { type: 'fixed', delay: 50 } });
    await until(async () => {
      const state = await (await inboundQueue.getJob(jobId))?.getState();
      return state === 'completed' || state === 'failed' ? state : undefined;
    });
  }

  const outbox = (sessionId: string) => fixtures.prisma.outboundMessage.findMany({ where: { sessionId }, orderBy: { createdAt: 'asc' } });
  const aiCalls = (event: InboundMessageEvent) => ai.requests.filter((request) => request.body.includes(event.waMessageId));

  beforeAll(async () => {
    [aiUrl, hooksUrl] = await Promise.all([ai.start(), hooks.start()]);
    const config = loadConfig(
      AgentRunnerConfig,
      baseTestEnv({
        REDIS_PREFIX: isolatedPrefix('inbound'),
        AI_BACKEND_URL: aiUrl,
        AI_TIMEOUT_MS: '1000',
        DEVELOPER_JID: `+${DEVELOPER}`,
        URL_FETCH_ALLOWLIST: '127.0.0.1',
        WEBHOOK_RETRY_UNIT_MS: '5',
        WEBHOOK_POLL_INTERVAL_MS: '50',
        WORKER_RPC_TIMEOUT_MS: '500',
      }),
    );
    const moduleRef = await Test.createTestingModule({ imports: [AgentRunnerModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    inboundQueue = app.get(getQueueToken(QUEUES.inboundMessages));
    statusQueue = app.get(getQueueToken(QUEUES.messageEvents));
    box = app.get(SecretBox);
    userId = (await fixtures.user()).id;
  });

  afterAll(async () => {
    await app.close();
    await Promise.all([ai.stop(), hooks.stop()]);
    await fixtures.close();
  });

  beforeEach(() => {
    ai.requests.length = 0;
    hooks.requests.length = 0;
    hooks.respondWith(200);
    ai.answerWith((request) => {
      const { input } = JSON.parse(request.body) as { input: string };
      if (input.includes('please fail')) return { status: 500, body: { error: 'model crashed' } };
      if (input.includes('be slow')) return { delayMs: 2_500, body: { reply: 'too late' } };
      if (input.includes('stay silent')) return { body: { reply: null } };
      return { body: { reply: `echo: ${input}` } };
    });
  });

  it('calls the AI with the seed 003 payload and the session key, and queues the reply to the chat', async () => {
    const target = await session();
    const event = inbound(target, { text: 'Berapa harga paket A?' });
    await processed(event);

    const [call] = aiCalls(event);
    expect(call).toBeDefined();
    expect(call.url).toBe(`/agents/${target.id}/execute`);
    expect(call.headers.authorization).toBe(`Bearer ${SESSION_KEY}`);
    expect(JSON.parse(call.body)).toEqual({
      input: 'Berapa harga paket A?',
      session_id: event.senderJid,
      parameters: { max_steps: 5 },
      metadata: {
        agent_id: target.id,
        trace_id: event.traceId,
        source: 'whatsapp',
        sender: { jid: event.senderJid, phone: event.senderPhone, name: 'Budi' },
        chat: { jid: event.chatJid, is_group: false },
        message: { id: event.waMessageId, sent_at: event.sentAt, quoted_id: null },
      },
    });
    const [reply] = await outbox(target.id);
    expect(reply).toMatchObject({
      toJid: event.chatJid,
      status: 'queued',
      traceId: event.traceId,
      content: { kind: 'text', text: 'echo: Berapa harga paket A?' },
    });
    expect((reply.content as { quotedMessageId?: string }).quotedMessageId).toBeUndefined();
  });

  it('answers in groups only when mentioned or named by number, quoting the message', async () => {
    const target = await session();
    const group = '120363000000000001@g.us';
    const plain = inbound(target, { chatJid: group, isGroup: true, text: 'siapa yang bisa bantu?' });
    const mentioned = inbound(target, {
      chatJid: group,
      isGroup: true,
      text: '@bot tolong bantu',
      mentionsMe: true,
      mentions: [`${target.phone}@s.whatsapp.net`],
    });
    const named = inbound(target, { chatJid: group, isGroup: true, text: `tanya ke 0${target.phone.slice(2)} ya` });
    for (const event of [plain, mentioned, named]) await processed(event);

    expect(aiCalls(plain)).toHaveLength(0);
    expect(aiCalls(mentioned)).toHaveLength(1);
    expect(aiCalls(named)).toHaveLength(1);
    const replies = await outbox(target.id);
    expect(replies.map((row) => [row.toJid, (row.content as { quotedMessageId?: string }).quotedMessageId])).toEqual([
      [group, mentioned.waMessageId],
      [group, named.waMessageId],
    ]);
  });

  it('sends only text to the AI, and nothing when the agent is switched off for the session or the number', async () => {
    const target = await session();
    const image = inbound(target, { kind: 'image', text: 'a caption' });
    await processed(image);
    await fixtures.prisma.chatbotBinding.create({ data: { sessionId: target.id, senderNumber: '6281111111111', enabled: false } });
    const muted = inbound(target, { senderPhone: '6281111111111', senderJid: '6281111111111@s.whatsapp.net', chatJid: '6281111111111@s.whatsapp.net' });
    await processed(muted);
    const other = await session();
    await fixtures.prisma.session.update({ where: { id: other.id }, data: { aiEnabled: false } });
    const off = inbound(other);
    await processed(off);

    expect(ai.requests).toHaveLength(0);
    expect(await outbox(target.id)).toEqual([]);
    expect(await outbox(other.id)).toEqual([]);
  });

  it('sends nothing when the agent answers without a reply', async () => {
    const target = await session();
    const event = inbound(target, { text: 'stay silent please' });
    await processed(event);
    expect(aiCalls(event)).toHaveLength(1);
    expect(await outbox(target.id)).toEqual([]);
  });

  it.each([
    ['an error', 'please fail', 'AI_DOWNSTREAM_ERROR: The AI backend answered HTTP 500'],
    ['a timeout', 'be slow', 'AI_TIMEOUT: The AI backend did not answer within 1000 ms'],
  ])('alerts the developer from the same session on %s, with agent, sender, reason and traceId', async (_label, text, reason) => {
    const target = await session();
    const event = inbound(target, { text, pushName: 'Sari' });
    await processed(event);

    const messages = await outbox(target.id);
    expect(messages).toHaveLength(1);
    expect(messages[0].toJid).toBe(`${DEVELOPER}@s.whatsapp.net`);
    const alert = (messages[0].content as { text: string }).text;
    expect(alert).toContain(`agent: ${target.id}`);
    expect(alert).toContain(`from: ${event.senderJid} (Sari)`);
    expect(alert).toContain(`reason: ${reason}`);
    expect(alert).toContain(`traceId: ${event.traceId}`);
  });

  it('routes a number with a chatbot binding to its endpoint, through the address check', async () => {
    const target = await session();
    const port = new URL(aiUrl).port;
    await fixtures.prisma.chatbotBinding.create({
      data: { sessionId: target.id, senderNumber: '6282222222222', endpointUrl: `http://localhost:${port}/vip/execute` },
    });
    const vip = inbound(target, { senderPhone: '6282222222222', senderJid: '6282222222222@s.whatsapp.net', chatJid: '6282222222222@s.whatsapp.net' });
    await processed(vip);
    expect(aiCalls(vip).map((call) => call.url)).toEqual(['/vip/execute']);

    await fixtures.prisma.session.update({ where: { id: target.id }, data: { aiEndpointUrl: 'http://10.255.255.1/agents/x/execute' } });
    const blocked = inbound(target);
    await processed(blocked);
    const alerts = (await outbox(target.id)).filter((row) => row.toJid === `${DEVELOPER}@s.whatsapp.net`);
    expect(alerts).toHaveLength(1);
    expect((alerts[0].content as { text: string }).text).toMatch(/AI_DOWNSTREAM_ERROR: The AI endpoint could not be called: destination refused/);
  });

  it('answers a message processed twice once, and a retry after the AI call does not ask the AI again', async () => {
    const target = await session();
    const event = inbound(target, { text: 'sekali saja' });
    await processed(event);
    // Redelivered after the job was gone (past BullMQ's dedupe window, or removed by hand).
    await (await inboundQueue.getJob(inboundJobId(event.sessionId, event.waMessageId)))!.remove();
    await processed(event);
    expect(aiCalls(event)).toHaveLength(1);
    expect(await outbox(target.id)).toHaveLength(1);

    // A crash after the AI answered, before the reply was queued: the retry sends the kept answer.
    const crashed = inbound(target, { text: 'after a crash' });
    await app.get(InboundProgressStore).saveAgentOutcome(crashed, { kind: 'answered', reply: 'kept answer' });
    await processed(crashed);
    expect(aiCalls(crashed)).toHaveLength(0);
    expect((await outbox(target.id)).map((row) => (row.content as { text: string }).text)).toEqual(['echo: sekali saja', 'kept answer']);
  });

  it('stores history only when the device number is an active allowed number, once per message id', async () => {
    const allowed = await session();
    const notAllowed = await session({ allowed: false });
    const inactive = await session();
    await fixtures.prisma.allowedNumber.update({ where: { whatsappNumber: inactive.phone }, data: { status: 'inactive' } });
    const kept = inbound(allowed, { text: 'simpan ini', quotedMessageId: '3EB0QUOTED' });
    const media = inbound(allowed, { kind: 'image', text: 'foto struk' });
    for (const event of [kept, media, kept, inbound(notAllowed), inbound(inactive)]) {
      await (await inboundQueue.getJob(inboundJobId(event.sessionId, event.waMessageId)))?.remove();
      await processed(event);
    }

    const rows = await fixtures.prisma.message.findMany({ where: { sessionId: { in: [allowed.id, notAllowed.id, inactive.id] } }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.sessionId, row.waMessageId, row.direction, row.type, row.text, row.caption])).toEqual([
      [allowed.id, kept.waMessageId, 'inbound', 'text', 'simpan ini', null],
      [allowed.id, media.waMessageId, 'inbound', 'image', null, 'foto struk'],
    ]);
    expect(rows[0]).toMatchObject({ chatJid: kept.chatJid, senderJid: kept.senderJid, pushName: 'Budi', quotedId: '3EB0QUOTED' });
  });

  it('finishes the message of a session deleted meanwhile without storing or answering it', async () => {
    const target = await session();
    const event = inbound(target);
    await fixtures.prisma.session.delete({ where: { id: target.id } });
    await processed(event);
    expect(await (await inboundQueue.getJob(inboundJobId(event.sessionId, event.waMessageId)))!.getState()).toBe('completed');
    expect(aiCalls(event)).toHaveLength(0);
  });

  it('posts a signed message.received webhook', async () => {
    const target = await session({ webhook: true });
    const event = inbound(target, { text: 'webhook me' });
    await processed(event);
    const [request] = await hooks.waitForRequests(1);
    expect(request.headers[WEBHOOK_HEADERS.event]).toBe('message.received');
    expect(verifySignature('whsec-inbound-0001', request.body, String(request.headers[WEBHOOK_HEADERS.signature]))).toBe(true);
    expect(JSON.parse(request.body)).toMatchObject({
      id: `message.received:${target.id}:${event.waMessageId}`,
      event: 'message.received',
      sessionId: target.id,
      data: { waMessageId: event.waMessageId, text: 'webhook me', senderJid: event.senderJid, traceId: event.traceId },
    });
  });

  it('turns delivery status changes into message.status webhooks and stores sent messages in the history', async () => {
    const target = await session({ webhook: true });
    const message = await fixtures.outboundMessage(target.id);
    const row = await fixtures.prisma.outboundMessage.update({ where: { id: message.id }, data: { status: 'sent', sentAt: new Date() } });
    const change = (status: 'sent' | 'read'): MessageStatusChangedEvent => ({
      sessionId: target.id,
      outboundId: row.id,
      waMessageId: row.waMessageId,
      to: row.toJid,
      status,
      error: null,
      at: new Date().toISOString(),
    });
    // Workers batch the changes of one event-loop turn; one-event jobs of older workers still count.
    await statusQueue.add(JOBS.messageStatusBatch, { events: [change('sent'), change('read')] });
    await statusQueue.add(JOBS.messageStatusChanged, change('read'));

    await hooks.waitForRequests(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bodies = hooks.requests.map((request) => JSON.parse(request.body) as { event: string; data: MessageStatusChangedEvent });
    expect(bodies.map((body) => [body.event, body.data.status]).sort()).toEqual([
      ['message.status', 'read'],
      ['message.status', 'sent'],
    ]);
    expect(hooks.requests.every((request) => verifySignature('whsec-inbound-0001', request.body, String(request.headers[WEBHOOK_HEADERS.signature])))).toBe(
      true,
    );
    const stored = await fixtures.prisma.message.findMany({ where: { sessionId: target.id } });
    expect(stored).toEqual([
      expect.objectContaining({
        waMessageId: row.waMessageId,
        direction: 'outbound',
        chatJid: row.toJid,
        senderJid: `${target.phone}@s.whatsapp.net`,
        text: 'fixture',
      }),
    ]);
  });
});

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
