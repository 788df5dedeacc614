import { SecretBox } from '@app/crypto';
import { useTenantGateway } from '../../../../test/support/tenant-gateway';

/** The configuration routes of what a session does with received messages: agent, chatbots, webhook. */
describe('agent, chatbot and webhook settings of a session', () => {
  const gateway = useTenantGateway({ env: { AI_BACKEND_URL: 'http://ai-backend.internal:5000' } });
  const { db, tenant, http, asOwner } = gateway;
  const url = (path: string) => `/sessions/${tenant.session.id}${path}`;

  it('sets the AI endpoint and api key (sealed, never shown) and the key then opens the agent routes', async () => {
    const initial = await http().get(url('/agent')).set(asOwner()).expect(200);
    expect(initial.body).toEqual({
      sessionId: tenant.session.id,
      endpointUrl: null,
      hasApiKey: false,
      enabled: true,
      effectiveEndpoint: `http://ai-backend.internal:5000/agents/${tenant.session.id}/execute`,
    });
    const updated = await http()
      .put(url('/agent'))
      .set(asOwner())
      .send({ endpointUrl: 'https://ai.example.com/run', apiKey: 'sk-agent-key-0001', enabled: false })
      .expect(200);
    expect(updated.body).toEqual({
      sessionId: tenant.session.id,
      endpointUrl: 'https://ai.example.com/run',
      effectiveEndpoint: 'https://ai.example.com/run',
      hasApiKey: true,
      enabled: false,
    });
    expect(JSON.stringify(updated.body)).not.toContain('sk-agent-key-0001');
    const row = await db.prisma.session.findUniqueOrThrow({ where: { id: tenant.session.id } });
    expect(row.aiApiKeyCipher).not.toContain('sk-agent-key');
    expect(gateway.app.get(SecretBox).open(row.aiApiKeyCipher!)).toBe('sk-agent-key-0001');
    await http()
      .get(url(`/messages/${tenant.message.id}`))
      .set({ authorization: 'Bearer sk-agent-key-0001' })
      .expect(200);

    const kept = await http().put(url('/agent')).set(asOwner()).send({ endpointUrl: null, enabled: true }).expect(200);
    expect(kept.body).toMatchObject({ endpointUrl: null, hasApiKey: true, enabled: true, effectiveEndpoint: expect.stringContaining('ai-backend.internal') });
    await http().put(url('/agent')).set(asOwner()).send({ endpointUrl: 'ftp://files.example.com' }).expect(400);
    await http().put(url('/agent')).set(asOwner()).send({ apiKey: 'short' }).expect(400);
    await http()
      .put(url('/agent'))
      .set({ authorization: `Bearer ${tenant.sessionToken.token}` })
      .send({ enabled: false })
      .expect(401);
  });

  it('keeps chatbot bindings per contact number, in any number format', async () => {
    const created = await http().put(url('/chatbots/+62 812-2222-3333')).set(asOwner()).send({ enabled: false }).expect(200);
    expect(created.body).toMatchObject({ sessionId: tenant.session.id, senderNumber: '6281222223333', endpointUrl: null, enabled: false });
    const changed = await http()
      .put(url('/chatbots/6281222223333@s.whatsapp.net'))
      .set(asOwner())
      .send({ endpointUrl: 'https://ai.example.com/vip' })
      .expect(200);
    expect(changed.body).toMatchObject({ id: created.body.id, endpointUrl: 'https://ai.example.com/vip', enabled: false });
    expect((await http().get(url('/chatbots')).set(asOwner()).expect(200)).body).toEqual([changed.body]);
    await http().delete(url('/chatbots/081222223333')).set(asOwner()).expect(200, { deleted: true });
    await http().delete(url('/chatbots/081222223333')).set(asOwner()).expect(200, { deleted: false });
    await http().put(url('/chatbots/120363000000000001@g.us')).set(asOwner()).send({}).expect(400);
    await http().put(url('/chatbots/someone')).set(asOwner()).send({}).expect(400);
  });

  it('sets the webhook with a sealed secret that is never shown, and lists its deliveries', async () => {
    const body = {
      url: 'https://shop.example.com/hooks',
      events: ['message.received', 'message.status', 'message.received'],
      secret: 'whsec-0123456789abcdef',
    };
    const set = await http().put(url('/webhook')).set(asOwner()).send(body).expect(200);
    expect(set.body).toEqual({ sessionId: tenant.session.id, url: body.url, events: ['message.received', 'message.status'], hasSecret: true });
    const shown = await http().get(url('/webhook')).set(asOwner()).expect(200);
    expect(shown.body).toEqual(set.body);
    const row = await db.prisma.session.findUniqueOrThrow({ where: { id: tenant.session.id } });
    expect(gateway.app.get(SecretBox).open(row.webhookSecretCipher!)).toBe(body.secret);

    const kept = await http().put(url('/webhook')).set(asOwner()).send({ url: 'https://shop.example.com/v2' }).expect(200);
    expect(kept.body).toMatchObject({ url: 'https://shop.example.com/v2', events: [], hasSecret: true });
    await http()
      .put(url('/webhook'))
      .set(asOwner())
      .send({ url: 'https://shop.example.com/v2', events: ['message.deleted'] })
      .expect(400);
    await http().put(url('/webhook')).set(asOwner()).send({ events: [] }).expect(400);
    await http().put(url('/webhook')).set(asOwner()).send({ url: 'javascript:alert(1)' }).expect(400);

    await db.prisma.webhookDelivery.create({
      data: {
        eventId: `message.received:${tenant.session.id}:3EB0X`,
        sessionId: tenant.session.id,
        event: 'message.received',
        url: 'https://shop.example.com/v2',
        payload: { id: 'x' },
        status: 'failed',
        attempts: 8,
        lastStatusCode: 500,
        lastError: 'HTTP 500',
      },
    });
    const deliveries = await http().get(url('/webhook/deliveries?limit=5')).set(asOwner()).expect(200);
    // The tenant fixture comes with a session.status delivery of its own.
    expect(deliveries.body.filter((delivery: { event: string }) => delivery.event === 'message.received')).toEqual([
      expect.objectContaining({ event: 'message.received', status: 'failed', attempts: 8, lastStatusCode: 500, lastError: 'HTTP 500', payload: { id: 'x' } }),
    ]);

    const off = await http().put(url('/webhook')).set(asOwner()).send({ url: null }).expect(200);
    expect(off.body).toEqual({ sessionId: tenant.session.id, url: null, events: [], hasSecret: false });
    expect((await db.prisma.session.findUniqueOrThrow({ where: { id: tenant.session.id } })).webhookSecretCipher).toBeNull();
  });
});
