import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AuthFixtures, type Tenant } from '../../../../test/support/auth-fixtures';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../../test/support/gateway-app';

const CONTACT = '6281111111111';
const CONTACT_JID = `${CONTACT}@s.whatsapp.net`;
const GROUP = '120363000000000777@g.us';

describe('history routes and allowed numbers', () => {
  const db = new DbFixtures();
  let app: INestApplication;
  let owner: Tenant;
  let other: Tenant;
  let adminJwt: string;
  const http = () => request(app.getHttpServer());
  const as = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey.key });

  /** Five messages with one contact (alternating directions, a minute apart), one in a group, one late on 1 Jan UTC. */
  async function seed(tenant: Tenant): Promise<void> {
    const own = `${tenant.allowedNumber.whatsappNumber}@s.whatsapp.net`;
    const base = Date.parse('2026-01-01T08:00:00Z');
    await db.prisma.message.createMany({
      data: [
        ...[0, 1, 2, 3, 4].map((i) => ({
          sessionId: tenant.session.id,
          waMessageId: `3EB0M${i}`,
          chatJid: CONTACT_JID,
          senderJid: i % 2 === 0 ? CONTACT_JID : own,
          direction: i % 2 === 0 ? ('inbound' as const) : ('outbound' as const),
          type: 'text',
          text: `m${i}`,
          pushName: i % 2 === 0 ? 'Budi' : null,
          sentAt: new Date(base + i * 60_000),
        })),
        {
          sessionId: tenant.session.id,
          waMessageId: '3EB0G1',
          chatJid: GROUP,
          senderJid: '6282222222222@s.whatsapp.net',
          direction: 'inbound',
          type: 'image',
          caption: 'foto',
          sentAt: new Date(base),
        },
        {
          sessionId: tenant.session.id,
          waMessageId: '3EB0LATE',
          chatJid: '6283333333333@s.whatsapp.net',
          senderJid: '6283333333333@s.whatsapp.net',
          direction: 'inbound',
          type: 'text',
          text: 'malam',
          sentAt: new Date('2026-01-01T18:00:00Z'),
        },
      ],
    });
  }

  beforeAll(async () => {
    app = await createGatewayApp();
    const auth = new AuthFixtures(app, db);
    [owner, other] = await Promise.all([auth.tenant(), auth.tenant()]);
    adminJwt = await auth.jwtFor((await db.user({ role: 'admin' })).id);
    await Promise.all([seed(owner), seed(other)]);
  });

  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('pages a chat newest first with the `before` cursor, accepting a number or a JID', async () => {
    const url = `/sessions/${owner.session.id}/chats`;
    const first = await http().get(`${url}/${CONTACT}/messages?limit=2`).set(as(owner)).expect(200);
    expect(first.body.chatJid).toBe(CONTACT_JID);
    expect(first.body.messages.map((m: { text: string }) => m.text)).toEqual(['m4', 'm3']);
    expect(first.body.messages[1]).toMatchObject({ direction: 'outbound', senderJid: `${owner.allowedNumber.whatsappNumber}@s.whatsapp.net` });
    const second = await http()
      .get(`${url}/${encodeURIComponent(CONTACT_JID)}/messages?limit=2&before=${first.body.nextCursor}`)
      .set(as(owner))
      .expect(200);
    expect(second.body.messages.map((m: { text: string }) => m.text)).toEqual(['m2', 'm1']);
    const last = await http().get(`${url}/${CONTACT}/messages?limit=2&before=${second.body.nextCursor}`).set(as(owner)).expect(200);
    expect(last.body).toMatchObject({ nextCursor: null, messages: [{ text: 'm0' }] });
    expect((await http().get(`${url}/${CONTACT}/messages?before=3EB0NOPE`).set(as(owner)).expect(404)).body.error.code).toBe('NOT_FOUND');
    await http().get(`${url}/${CONTACT}/messages?limit=101`).set(as(owner)).expect(400);
  });

  it('reads the stored history by default, says so, and asks the worker holding the session for the live sources', async () => {
    const url = `/sessions/${owner.session.id}/chats/${CONTACT}/messages`;
    const stored = await http().get(`${url}?limit=1`).set(as(owner)).expect(200);
    expect(stored.body).toMatchObject({ source: 'database', messages: [{ text: 'm4', fromMe: false, origin: 'stored' }] });
    expect((await http().get(`${url}?source=database&limit=2`).set(as(owner)).expect(200)).body.messages[1]).toMatchObject({ text: 'm3', fromMe: true });
    // No worker holds the session here: its live history is nowhere to be read.
    for (const source of ['store', 'server', 'auto']) {
      expect((await http().get(`${url}?source=${source}`).set(as(owner)).expect(503)).body.error.code).toBe('SESSION_NOT_READY');
    }
    await http().get(`${url}?source=phone`).set(as(owner)).expect(400);
    await http().get(`${url}?source=server&waitSeconds=61`).set(as(owner)).expect(400);
  });

  it('lists the chats of a day in a time zone, groups only when asked', async () => {
    const url = `/sessions/${owner.session.id}/chats`;
    const utc = await http().get(`${url}?date=2026-01-01`).set(as(owner)).expect(200);
    expect(utc.body).toMatchObject({ date: '2026-01-01', timezone: 'UTC', total: 2 });
    expect(utc.body.chats.map((chat: { chatJid: string }) => chat.chatJid)).toEqual(['6283333333333@s.whatsapp.net', CONTACT_JID]);
    expect(utc.body.chats[1]).toMatchObject({ messageCount: 5, inboundCount: 3, outboundCount: 2, lastText: 'm4', pushName: 'Budi', isGroup: false });
    const withGroups = await http().get(`${url}?date=2026-01-01&includeGroups=true&limit=1&offset=2`).set(as(owner)).expect(200);
    expect(withGroups.body).toMatchObject({ total: 3, chats: [{ chatJid: GROUP, isGroup: true, lastText: 'foto' }] });
    // 18:00 UTC on 1 January is 01:00 on 2 January in Jakarta.
    const jakarta = await http().get(`${url}?date=2026-01-02&timezone=Asia/Jakarta`).set(as(owner)).expect(200);
    expect(jakarta.body.chats.map((chat: { chatJid: string }) => chat.chatJid)).toEqual(['6283333333333@s.whatsapp.net']);
    await http().get(`${url}?date=2026-01-02&timezone=Mars/Olympus`).set(as(owner)).expect(400);
    await http().get(url).set(as(owner)).expect(400);
  });

  it("filters the history of the caller's sessions only: by sender, conversation, day; stats alike", async () => {
    const bySender = await http().get(`/messages?sender=${CONTACT}&order=asc`).set(as(owner)).expect(200);
    expect(bySender.body).toMatchObject({ total: 3, page: 1, pageSize: 20, totalPages: 1 });
    expect(bySender.body.items.map((m: { sessionId: string; text: string }) => [m.sessionId, m.text])).toEqual([
      [owner.session.id, 'm0'],
      [owner.session.id, 'm2'],
      [owner.session.id, 'm4'],
    ]);
    const conversation = await http()
      .get(`/messages?sender=${CONTACT}&receiver=${owner.allowedNumber.whatsappNumber}&bothWays=true&pageSize=2&page=2`)
      .set(as(owner))
      .expect(200);
    expect(conversation.body).toMatchObject({ total: 5, totalPages: 3, items: [{ text: 'm2' }, { text: 'm1' }] });
    const toContact = await http().get(`/messages?receiver=${CONTACT}`).set(as(owner)).expect(200);
    expect(toContact.body.items.map((m: { text: string }) => m.text)).toEqual(['m3', 'm1']);
    const otherSession = await http().get(`/messages?sessionId=${other.session.id}`).set(as(owner)).expect(200);
    expect(otherSession.body).toMatchObject({ total: 0, items: [] });
    const stats = await http().get('/messages/stats?date=2026-01-01').set(as(owner)).expect(200);
    expect(stats.body).toEqual({
      total: 7,
      inbound: 5,
      outbound: 2,
      byType: { text: 6, image: 1 },
      chats: 3,
      firstAt: '2026-01-01T08:00:00.000Z',
      lastAt: '2026-01-01T18:00:00.000Z',
    });
    const everyone = await http()
      .get(`/messages/stats?sender=${CONTACT}`)
      .set({ authorization: `Bearer ${adminJwt}` })
      .expect(200);
    expect(everyone.body.total).toBeGreaterThanOrEqual(6);
    const oneUser = await http()
      .get(`/messages/stats?sender=${CONTACT}&userId=${other.user.id}`)
      .set({ authorization: `Bearer ${adminJwt}` })
      .expect(200);
    expect(oneUser.body.total).toBe(3);
    await http().get('/messages?sender=not-a-number').set(as(owner)).expect(400);
  });

  describe('/allowed-numbers', () => {
    it("lists the numbers of the caller's sessions only (admins: all)", async () => {
      const mine = await http().get('/allowed-numbers').set(as(owner)).expect(200);
      expect(mine.body).toEqual([
        expect.objectContaining({
          id: owner.allowedNumber.id,
          whatsappNumber: owner.allowedNumber.whatsappNumber,
          sessionId: owner.session.id,
          status: 'active',
        }),
      ]);
      const all = await http()
        .get(`/allowed-numbers?whatsappNumber=%2B${other.allowedNumber.whatsappNumber}`)
        .set({ authorization: `Bearer ${adminJwt}` })
        .expect(200);
      expect(all.body.map((row: { id: string }) => row.id)).toEqual([other.allowedNumber.id]);
    });

    it('lets a user add, switch and remove only numbers their sessions are linked to', async () => {
      await http().post('/allowed-numbers').set(as(owner)).send({ whatsappNumber: other.allowedNumber.whatsappNumber }).expect(403);
      await http().post('/allowed-numbers').set(as(owner)).send({ whatsappNumber: '6287777777777' }).expect(403);
      const taken = await http().post('/allowed-numbers').set(as(owner)).send({ whatsappNumber: owner.allowedNumber.whatsappNumber }).expect(409);
      expect(taken.body.error.details).toEqual({ id: owner.allowedNumber.id });

      await http().patch(`/allowed-numbers/${owner.allowedNumber.id}`).set(as(other)).send({ status: 'inactive' }).expect(404);
      await http().delete(`/allowed-numbers/${owner.allowedNumber.id}`).set(as(other)).expect(404);
      const switched = await http().patch(`/allowed-numbers/${owner.allowedNumber.id}`).set(as(owner)).send({ status: 'inactive' }).expect(200);
      expect(switched.body.status).toBe('inactive');
      await http().delete(`/allowed-numbers/${owner.allowedNumber.id}`).set(as(owner)).expect(200, { deleted: true });
      const again = await http()
        .post('/allowed-numbers')
        .set(as(owner))
        .send({ whatsappNumber: `0${owner.allowedNumber.whatsappNumber.slice(2)}`, status: 'inactive' })
        .expect(201);
      expect(again.body).toMatchObject({ whatsappNumber: owner.allowedNumber.whatsappNumber, sessionId: owner.session.id, status: 'inactive' });
    });

    it('lets admins allow any number, linked or not yet', async () => {
      const admin = { authorization: `Bearer ${adminJwt}` };
      const created = await http().post('/allowed-numbers').set(admin).send({ whatsappNumber: '+62 877-1234-5678' }).expect(201);
      expect(created.body).toMatchObject({ whatsappNumber: '6287712345678', sessionId: null, status: 'active' });
      await http()
        .get('/allowed-numbers')
        .set(as(owner))
        .expect(200)
        .expect((res) => expect(JSON.stringify(res.body)).not.toContain('6287712345678'));
      await http().delete(`/allowed-numbers/${created.body.id}`).set(admin).expect(200);
      await http().patch('/allowed-numbers/not-a-uuid').set(admin).send({}).expect(400);
    });
  });
});
