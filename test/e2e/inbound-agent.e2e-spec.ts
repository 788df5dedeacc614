import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { AppConfigModule, CoreConfig, loadConfig } from '@app/config';
import { inboundJobId, JOBS, QUEUES, WEBHOOK_HEADERS, WORKER_COMMANDS } from '@app/contracts';
import { verifySignature } from '@app/crypto';
import { RedisModule } from '@app/redis';
import { WorkerRpcClient, WorkerRpcClientModule } from '@app/transport';
import { DbFixtures } from '../support/db-fixtures';
import { HttpRecorder, type RecordedRequest } from '../support/http-recorder';
import { eventually, SuiteHarness } from '../support/suite-harness';
import type { UntypedJson } from '../support/untyped-json';

const SESSION_KEY = 'sk-e2e-session-key-0001';
const WEBHOOK_SECRET = 'whsec-e2e-0123456789abcdef';

/**
 * What happens with messages a session receives, through the real processes: the simulated
 * contact writes, the worker publishes, the agent-runner stores, posts webhooks, asks the AI
 * backend stand-in and sends the reply through the outbox, which the contact decrypts.
 */
describe('inbound messages and the AI agent (end to end)', () => {
  const ai = new HttpRecorder();
  const hooks = new HttpRecorder();
  const env: Record<string, string> = {};
  const suite = new SuiteHarness({ workers: 1, agentRunner: true, env });
  const fixtures = new DbFixtures();
  const developer = suite.newPhone();
  let botPhone: string;
  let contact: string;
  let inboundQueue: Queue;

  const aiCall = (text: string) => ai.requests.find((request) => (JSON.parse(request.body) as { input: string }).input === text);
  const received = async (phone: string, text: string) =>
    eventually(async () => (await suite.sim.client.sentMessages({ to: phone })).find((record) => record.text === text), 20_000, `"${text}" at ${phone}`);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const [aiUrl, hooksUrl] = await Promise.all([ai.start(), hooks.start()]);
    Object.assign(env, {
      AI_BACKEND_URL: aiUrl,
      AI_TIMEOUT_MS: '2000',
      DEVELOPER_JID: developer,
      URL_FETCH_ALLOWLIST: '127.0.0.1',
      WEBHOOK_RETRY_UNIT_MS: '10',
      WEBHOOK_POLL_INTERVAL_MS: '100',
    });
    ai.answerWith((request) => {
      const { input } = JSON.parse(request.body) as { input: string };
      if (input.includes('please fail')) return { status: 500, body: { error: 'model crashed' } };
      if (input.includes('be slow')) return { delayMs: 3_500, body: { reply: 'too late' } };
      return { body: { reply: `echo: ${input}` } };
    });
    await suite.start();
    const userId = (await fixtures.user()).id;
    botPhone = await suite.linkSession('bot', userId);
    contact = await suite.newContact('Budi');
    await suite.sim.client.createContact(developer, 'Developer');
    expect((await suite.api.call('PUT', '/sessions/bot/agent', { apiKey: SESSION_KEY })).status).toBe(200);
    expect((await suite.api.post('/allowed-numbers', { whatsappNumber: `+${botPhone}` })).status).toBe(201);
    const webhook = await suite.api.call('PUT', '/sessions/bot/webhook', {
      url: `${hooksUrl}/wa`,
      events: ['message.received', 'message.status'],
      secret: WEBHOOK_SECRET,
    });
    expect(webhook.body).toEqual({ sessionId: 'bot', url: `${hooksUrl}/wa`, events: ['message.received', 'message.status'], hasSecret: true });
    inboundQueue = new Queue(QUEUES.inboundMessages, { connection: { url: process.env.REDIS_URL! }, prefix: `${suite.prefix}:bull` });
  }, 120_000);

  afterAll(async () => {
    await inboundQueue?.close();
    await suite.stop();
    await Promise.all([ai.stop(), hooks.stop(), fixtures.close()]);
  });

  it('answers a contact: seed 003 payload with the session key, reply decrypted by the contact, history and signed webhooks', async () => {
    const { messageId } = await suite.sim.client.sendInbound({ from: contact, to: botPhone, text: 'Halo, ada promo?' });

    const reply = await received(contact, 'echo: Halo, ada promo?');
    const call = aiCall('Halo, ada promo?')!;
    expect(call.url).toBe('/agents/bot/execute');
    expect(call.headers.authorization).toBe(`Bearer ${SESSION_KEY}`);
    const payload = JSON.parse(call.body);
    expect(payload).toMatchObject({
      input: 'Halo, ada promo?',
      session_id: expect.stringMatching(/@(s\.whatsapp\.net|lid)$/),
      parameters: { max_steps: 5 },
      metadata: { agent_id: 'bot', source: 'whatsapp', sender: { phone: contact, name: 'Budi' }, message: { id: messageId } },
    });
    expect(reply.fromPhoneNumber).toBe(botPhone);

    const hook = (event: string, match: (data: UntypedJson) => boolean) =>
      eventually(
        async () => hooks.requests.find((request) => request.headers[WEBHOOK_HEADERS.event] === event && match(JSON.parse(request.body).data)),
        15_000,
        `${event} webhook`,
      );
    const signed = (request: RecordedRequest) => verifySignature(WEBHOOK_SECRET, request.body, String(request.headers[WEBHOOK_HEADERS.signature]));
    const receivedHook = await hook('message.received', (data) => data.waMessageId === messageId);
    expect(signed(receivedHook)).toBe(true);
    expect(JSON.parse(receivedHook.body).data).toMatchObject({ text: 'Halo, ada promo?', senderPhone: contact, traceId: payload.metadata.trace_id });
    const statusHook = await hook('message.status', (data) => data.waMessageId === reply.messageId && data.status === 'sent');
    expect(signed(statusHook)).toBe(true);

    const history = await eventually(
      async () => {
        const page = await suite.api.get(`/sessions/bot/chats/${contact}/messages`);
        return page.body.messages?.length === 2 ? page.body : undefined;
      },
      10_000,
      'both messages in the history',
    );
    expect(history.messages.map((message: UntypedJson) => [message.direction, message.waMessageId, message.text])).toEqual([
      ['outbound', reply.messageId, 'echo: Halo, ada promo?'],
      ['inbound', messageId, 'Halo, ada promo?'],
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const daily = await suite.api.get(`/sessions/bot/chats?date=${today}`);
    expect(daily.body.chats).toEqual(expect.arrayContaining([expect.objectContaining({ chatJid: history.chatJid, messageCount: 2, pushName: 'Budi' })]));
    const bySender = await suite.api.get(`/messages?sender=${contact}&sessionId=bot`);
    expect(bySender.body).toMatchObject({ total: 1, items: [{ waMessageId: messageId }] });
    const conversation = await suite.api.get(`/messages?sender=${contact}&receiver=${botPhone}&bothWays=true`);
    expect(conversation.body.total).toBe(2);
    const deliveries = await suite.api.get('/sessions/bot/webhook/deliveries');
    expect(deliveries.body.map((delivery: UntypedJson) => delivery.event)).toEqual(expect.arrayContaining(['message.received', 'message.status']));
  });

  it('in a group, ignores a message without mention and answers a mention with a quoted reply', async () => {
    const member = suite.newPhone();
    const group = await suite.sim.client.createGroup({ creator: contact, subject: 'Pelanggan', participants: [botPhone, member] });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await suite.sim.client.sendGroupMessage(group.id, { from: member, text: 'ada yang tahu jam buka?' });
    const mention = await suite.sim.client.sendGroupMessage(group.id, { from: member, text: '@bot jam buka?', mentions: [botPhone] });

    const reply = await eventually(
      async () => (await suite.sim.client.groupMessages(group.id)).find((record) => record.text === 'echo: @bot jam buka?'),
      20_000,
      'the quoted group reply',
    );
    expect(reply.quotedMessageId).toBe(mention.messageId);
    expect(aiCall('ada yang tahu jam buka?')).toBeUndefined();
    expect(JSON.parse(aiCall('@bot jam buka?')!.body).metadata.chat).toEqual({ jid: group.id, is_group: true });
  });

  it.each([
    ['a failing AI backend', 'please fail', 'AI_DOWNSTREAM_ERROR'],
    ['an AI timeout', 'be slow', 'AI_TIMEOUT'],
  ])('alerts the developer on %s: the developer phone decrypts agent, sender, reason and traceId', async (_label, text, code) => {
    await suite.sim.client.sendInbound({ from: contact, to: botPhone, text });
    const alert = await eventually(
      async () => (await suite.sim.client.sentMessages({ to: developer })).find((record) => record.text?.includes(`reason: ${code}`)),
      20_000,
      'the developer alert',
    );
    const traceId = JSON.parse(aiCall(text)!.body).metadata.trace_id;
    expect(alert.fromPhoneNumber).toBe(botPhone);
    expect(alert.text).toContain('agent: bot');
    expect(alert.text).toMatch(new RegExp(`from: \\S+ \\(Budi\\)`));
    expect(alert.text).toContain(`traceId: ${traceId}`);
    expect((await suite.sim.client.sentMessages({ to: contact })).filter((record) => record.text === 'too late')).toEqual([]);
  });

  it('answers a message delivered twice once (the job re-added after it was done)', async () => {
    const { messageId } = await suite.sim.client.sendInbound({ from: contact, to: botPhone, text: 'sekali saja' });
    await received(contact, 'echo: sekali saja');
    const jobId = inboundJobId('bot', messageId);
    const job = await eventually(async () => ((await inboundQueue.getJob(jobId))?.finishedOn ? inboundQueue.getJob(jobId) : undefined), 10_000, 'job finished');
    const data = job.data;
    await job.remove();
    await inboundQueue.add(JOBS.messageReceived, data, { jobId });
    await eventually(async () => ((await inboundQueue.getJob(jobId))?.finishedOn ? true : undefined), 10_000, 'the re-added job finished');
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(ai.requests.filter((request) => (JSON.parse(request.body) as { input: string }).input === 'sekali saja')).toHaveLength(1);
    expect((await suite.sim.client.sentMessages({ to: contact })).filter((record) => record.text === 'echo: sekali saja')).toHaveLength(1);
  });

  it('stores history only for allowed numbers', async () => {
    await suite.linkSession('no-history', (await fixtures.user()).id);
    await suite.sim.client.sendInbound({ from: contact, to: (await suite.api.get('/sessions/no-history')).body.phone, text: 'jangan disimpan' });
    await received(contact, 'echo: jangan disimpan');
    const page = await suite.api.get(`/sessions/no-history/chats/${contact}/messages`);
    expect(page.body).toEqual({ chatJid: expect.any(String), source: 'database', messages: [], nextCursor: null });
    const stats = await suite.api.get('/messages/stats?sessionId=bot');
    expect(stats.body.inbound).toBeGreaterThanOrEqual(1);
    expect(stats.body.outbound).toBeGreaterThanOrEqual(1);
  });

  it('shows and clears the typing indicator through the worker (the simulator accepts but does not record chat states)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(CoreConfig, loadConfig(CoreConfig, suite.env)),
        RedisModule.forRoot(),
        WorkerRpcClientModule.forRoot({ timeoutMs: 5_000 }),
      ],
    }).compile();
    const app = await moduleRef.init();
    try {
      const rpc = app.get(WorkerRpcClient);
      const chatJid = `${contact}@s.whatsapp.net`;
      for (const state of ['composing', 'paused'] as const) {
        expect(await rpc.send('w1', WORKER_COMMANDS.sessionPresence, { traceId: 'typing-check', sessionId: 'bot', chatJid, state })).toEqual({ sent: true });
      }
      await expect(
        rpc.send('w1', WORKER_COMMANDS.sessionPresence, { traceId: 'typing-check', sessionId: 'not-held', chatJid, state: 'composing' }),
      ).rejects.toMatchObject({ code: 'WORKER_NOT_OWNER' });
    } finally {
      await app.close();
    }
  });

  describe('POST /agents/{id}/run', () => {
    /** Only the Bearer token: the harness' ApiClient would authenticate as admin by x-api-key. */
    const run = async (body: unknown, token = SESSION_KEY) => {
      const response = await fetch(`${suite.api.baseUrl}/agents/bot/run`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, body: (await response.json()) as UntypedJson, headers: response.headers };
    };

    it('asks the agent with the session key and sends the reply to session_id', async () => {
      const response = await run({ input: 'Ringkas pesanan saya', session_id: `0${contact.slice(2)}` });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        reply: 'echo: Ringkas pesanan saya',
        replySent: true,
        replyStatus: 'sent',
        messageId: expect.any(String),
        waMessageId: expect.stringMatching(/^3EB0/),
        traceId: response.headers.get('x-request-id'),
      });
      const call = aiCall('Ringkas pesanan saya')!;
      expect(call.headers.authorization).toBe(`Bearer ${SESSION_KEY}`);
      expect(JSON.parse(call.body)).toMatchObject({
        session_id: `${contact}@s.whatsapp.net`,
        parameters: { max_steps: 5 },
        metadata: { agent_id: 'bot', source: 'api' },
      });
      expect((await received(contact, 'echo: Ringkas pesanan saya')).messageId).toBe(response.body.waMessageId);
    });

    it('maps AI failures to AI_DOWNSTREAM_ERROR 502 and AI_TIMEOUT 504, and refuses a wrong key', async () => {
      const failed = await run({ message: 'please fail now', session_id: contact, parameters: { max_steps: 1 } });
      expect(failed.status).toBe(502);
      expect(failed.body.error).toMatchObject({ code: 'AI_DOWNSTREAM_ERROR', traceId: failed.headers.get('x-request-id') });
      expect(JSON.parse(aiCall('please fail now')!.body).parameters).toEqual({ max_steps: 1 });
      const slow = await run({ input: 'be slow now', session_id: contact });
      expect(slow.status).toBe(504);
      expect(slow.body.error.code).toBe('AI_TIMEOUT');
      expect((await run({ input: 'x', session_id: contact }, 'sk-wrong-key-000000')).status).toBe(401);
      expect((await run({ session_id: contact })).status).toBe(400);
    });
  });
});
