import { DbFixtures } from '../support/db-fixtures';
import { eventually, SuiteHarness } from '../support/suite-harness';

/**
 * Seed 002 groups through the real gateway and worker against the simulator: what the gateway
 * does is checked in the simulator's own view of the group and in what its member phones decrypted.
 */
describe('groups', () => {
  const suite = new SuiteHarness({ workers: 1 });
  const fixtures = new DbFixtures();
  let userId: string;
  let own: string;
  let alice: string;
  let budi: string;
  let citra: string;
  let groupId: string;

  const groups = (suffix = '') => `/sessions/grouper/groups${suffix}`;
  const group = (suffix = '', id = groupId) => groups(`/${encodeURIComponent(id)}${suffix}`);
  const simMembers = async (id = groupId) =>
    Object.fromEntries((await suite.sim.client.group(id)).participants.map((member) => [member.phoneNumber, member.role]));
  const groupMessage = async (waMessageId: string) =>
    eventually(
      async () => (await suite.sim.client.groupMessages(groupId)).find((record) => record.messageId === waMessageId),
      10_000,
      'group message decrypted',
    );

  beforeAll(async () => {
    await suite.start();
    userId = (await fixtures.user()).id;
    own = await suite.linkSession('grouper', userId);
    [alice, budi, citra] = [suite.newPhone(), suite.newPhone(), suite.newPhone()];
    for (const [phone, name] of [
      [alice, 'Alice'],
      [budi, 'Budi'],
      [citra, 'Citra'],
    ] as const)
      await suite.sim.client.createContact(phone, name);
  }, 120_000);

  afterAll(async () => {
    await suite.stop();
    await fixtures.close();
  });

  it('creates a group the simulator shows with its subject and members, the session as superadmin', async () => {
    const response = await suite.api.post(groups(), { subject: 'Tim Toko', participants: [`+${alice}`, `0${budi.slice(2)}`] });
    expect(response.status).toBe(201);
    groupId = response.body.id;
    expect(groupId).toMatch(/^\d+@g\.us$/);
    expect(response.body).toMatchObject({ subject: 'Tim Toko', size: 3 });
    const roles = Object.fromEntries(response.body.participants.map((member: { phone: string; role: string }) => [member.phone, member.role]));
    expect(roles).toEqual({ [own]: 'superadmin', [alice]: 'member', [budi]: 'member' });

    const simulated = await suite.sim.client.group(groupId);
    expect(simulated.subject).toBe('Tim Toko');
    expect(await simMembers()).toEqual({ [own]: 'superadmin', [alice]: 'member', [budi]: 'member' });
  });

  it('lists the groups of the session and describes one', async () => {
    const list = await suite.api.get(groups());
    expect(list.status).toBe(200);
    expect(list.body.map((entry: { id: string }) => entry.id)).toContain(groupId);

    const info = await suite.api.get(group());
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ id: groupId, subject: 'Tim Toko', size: 3, owner: expect.stringContaining(own) });
    expect(info.body.participants.map((member: { phone: string }) => member.phone).sort()).toEqual([own, alice, budi].sort());
  });

  it('sends a text the member phones decrypt', async () => {
    const response = await suite.api.post(group('/messages'), { message: 'Halo semua' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ delivered: true, status: 'sent' });
    const record = await groupMessage(response.body.waMessageId);
    expect(record).toMatchObject({ kind: 'text', text: 'Halo semua', groupJid: groupId, fromPhoneNumber: own });
  });

  it('sends seed 002 bulk group messages through the bulk send route, in order', async () => {
    const response = await suite.api.post('/sessions/grouper/messages/bulk', {
      messages: [
        { to: groupId, message: 'Halo 1' },
        { to: groupId, message: 'Halo 2' },
      ],
      delay: 0,
    });
    expect(response.status).toBe(200);
    const texts = await Promise.all(response.body.map(async (result: { waMessageId: string }) => (await groupMessage(result.waMessageId)).text));
    expect(texts).toEqual(['Halo 1', 'Halo 2']);
  });

  it('sends a mention message with every placeholder form expanded and the people mentioned', async () => {
    const response = await suite.api.post(group('/mention-message'), {
      message: 'Halo {m1} dan {mention2}, juga {mention[0]}. Semua: {mentions}',
      mentions: [alice, `+${budi}`],
    });
    expect(response.status).toBe(201);
    const record = await groupMessage(response.body.waMessageId);
    expect(record.text).toBe(`Halo @${alice} dan @${budi}, juga @${alice}. Semua: @${alice} @${budi}`);
    expect(record.mentions).toEqual([`${alice}@s.whatsapp.net`, `${budi}@s.whatsapp.net`]);
  });

  it('refuses a placeholder without its mention and sends nothing', async () => {
    const before = (await suite.sim.client.groupMessages(groupId)).length;
    const response = await suite.api.post(group('/mention-message'), { message: 'Halo {m3}', mentions: [alice, budi] });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('{m3}') });
    expect((await suite.sim.client.groupMessages(groupId)).length).toBe(before);
  });

  it('sends media to the group that the members decrypt byte for byte', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2_000, 7)]);
    const response = await suite.api.post(group('/media'), { data: png.toString('base64'), mimeType: 'image/png', caption: 'Foto toko' });
    expect(response.status).toBe(201);
    const record = await eventually(
      async () => {
        const found = await groupMessage(response.body.waMessageId);
        return found.media?.status === 'ready' ? found : undefined;
      },
      10_000,
      'group media downloaded and decrypted',
    );
    expect(record).toMatchObject({ kind: 'image', groupJid: groupId, media: { caption: 'Foto toko', mimetype: 'image/png' } });
    expect((await suite.sim.client.sentMedia(response.body.waMessageId)).bytes.equals(png)).toBe(true);
  });

  it('adds, promotes, demotes and removes members as the simulator shows', async () => {
    const added = await suite.api.post(group('/participants'), { participants: [citra, alice] });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ groupId, action: 'add', changed: 1 });
    expect(added.body.results).toEqual(
      expect.arrayContaining([
        { jid: `${citra}@s.whatsapp.net`, phone: citra, status: 200, outcome: 'done' },
        { jid: `${alice}@s.whatsapp.net`, phone: alice, status: 409, outcome: 'already_member' },
      ]),
    );
    expect((await simMembers())[citra]).toBe('member');

    const promoted = await suite.api.post(group('/admins'), { adminJid: `+${citra}` });
    expect(promoted.body).toMatchObject({ action: 'promote', changed: 1 });
    expect((await simMembers())[citra]).toBe('admin');

    const demoted = await suite.api.delete(group(`/admins/${citra}`));
    expect(demoted.body).toMatchObject({ action: 'demote', changed: 1 });
    expect((await simMembers())[citra]).toBe('member');

    const removed = await suite.api.delete(group(`/participants/${encodeURIComponent(`${citra}@s.whatsapp.net`)}`));
    expect(removed.body).toMatchObject({ action: 'remove', changed: 1 });
    expect(await simMembers()).not.toHaveProperty(citra);

    const again = await suite.api.delete(group(`/participants/${citra}`));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: 0, results: [{ phone: citra, status: 404, outcome: 'not_found' }] });
  });

  it('gives the invite link and revokes it for a new one', async () => {
    const invite = await suite.api.get(group('/invite'));
    expect(invite.status).toBe(200);
    const current = await suite.sim.client.groupInvite(groupId);
    expect(invite.body).toEqual({ groupId, code: current.code, link: `https://chat.whatsapp.com/${current.code}`, revoked: false });

    const revoked = await suite.api.post(group('/invite/revoke'));
    expect(revoked.status).toBe(200);
    expect(revoked.body.code).not.toBe(current.code);
    expect(revoked.body).toMatchObject({ revoked: true, code: (await suite.sim.client.groupInvite(groupId)).code });
  });

  it('answers 403 for changes to a group where the account is only a member', async () => {
    const foreign = await suite.sim.client.createGroup({ creator: alice, subject: 'Grup Alice', participants: [own, budi] });
    const info = await suite.api.get(group('', foreign.id));
    expect(info.status).toBe(200);
    expect(info.body.participants.find((member: { phone: string }) => member.phone === own).role).toBe('member');

    const add = await suite.api.post(group('/participants', foreign.id), { participants: [citra] });
    expect(add.status).toBe(403);
    expect(add.body.error.code).toBe('FORBIDDEN');
    expect((await suite.api.get(group('/invite', foreign.id))).status).toBe(403);
    expect(await simMembers(foreign.id)).not.toHaveProperty(citra);
  });

  it('answers 404 for a group that does not exist, also before sending to it', async () => {
    const unknown = '120363999999999999@g.us';
    const info = await suite.api.get(group('', unknown));
    expect(info.status).toBe(404);
    expect(info.body.error.code).toBe('NOT_FOUND');
    expect((await suite.api.post(group('/messages', unknown), { message: 'x' })).status).toBe(404);
  });

  it('refuses invalid group ids and participants, naming the field', async () => {
    const badGroup = await suite.api.get(group('', '6281234567890'));
    expect(badGroup.status).toBe(400);
    expect(badGroup.body.error.details.fields[0].field).toBe('groupId');

    const badMember = await suite.api.post(groups(), { subject: 'x', participants: [alice, 'budi'] });
    expect(badMember.status).toBe(400);
    expect(badMember.body.error.details.fields[0].field).toBe('participants[1]');

    const badPath = await suite.api.delete(group('/participants/not-a-number'));
    expect(badPath.status).toBe(400);
    expect(badPath.body.error.details.fields[0].field).toBe('participant');
  });

  it('refuses group creation by a readonly user', async () => {
    const readonly = await fixtures.user({ role: 'readonly' });
    const session = await fixtures.session(readonly.id);
    const key = (await suite.api.post(`/users/${readonly.id}/api-keys`, { name: 'readonly' })).body.key as string;
    const create = await suite.api.call('POST', `/sessions/${session.id}/groups`, { subject: 'x', participants: [alice] }, { 'x-api-key': key });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('FORBIDDEN');
  });

  it('answers 409 SESSION_NOT_CONNECTED for a session that was never linked', async () => {
    await suite.api.post('/sessions', { agentId: 'groups-offline', agentName: 'Offline', ownerId: userId, waitForQr: false });
    for (const response of [
      await suite.api.get('/sessions/groups-offline/groups'),
      await suite.api.post('/sessions/groups-offline/groups', { subject: 'x', participants: [alice] }),
      await suite.api.post(`/sessions/groups-offline/groups/${encodeURIComponent(groupId)}/messages`, { message: 'x' }),
    ]) {
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('SESSION_NOT_CONNECTED');
    }
  });
});
