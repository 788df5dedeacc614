import { hashSecret } from '../credentials/secret-tokens';
import { useTenantGateway } from '../../../../test/support/tenant-gateway';

describe('/sessions/{id}/tokens', () => {
  const { db, tenant, http, asOwner, anotherTenant } = useTenantGateway();

  it('shows a new token once, stores only its hash, and lists prefix and metadata only', async () => {
    const created = await http().post(`/sessions/${tenant.session.id}/tokens`).set(asOwner()).send({ name: 'shop' }).expect(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^wgs_[\w-]{43}$/);
    expect(created.body).toMatchObject({ sessionId: tenant.session.id, name: 'shop', prefix: token.slice(0, 12), revokedAt: null });

    const row = await db.prisma.sessionToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.tokenHash).toBe(hashSecret(token));

    const list = await http().get(`/sessions/${tenant.session.id}/tokens`).set(asOwner()).expect(200);
    expect(list.body).toContainEqual({ ...created.body, token: undefined });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toContain(row.tokenHash);
  });

  it('revokes a token, and says 404 for a token of another session', async () => {
    const created = await http().post(`/sessions/${tenant.session.id}/tokens`).set(asOwner()).send({ name: 'temp' }).expect(201);
    const revoked = await http().delete(`/sessions/${tenant.session.id}/tokens/${created.body.id}`).set(asOwner()).expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));

    const second = await db.session(tenant.user.id);
    const foreign = await http().delete(`/sessions/${second.id}/tokens/${tenant.sessionToken.id}`).set(asOwner()).expect(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
  });

  it('hides the session from anyone but its owner and admins', async () => {
    const stranger = await anotherTenant();
    const response = await http().get(`/sessions/${tenant.session.id}/tokens`).set('x-api-key', stranger.apiKey.key).expect(404);
    expect(response.body.error).toMatchObject({ code: 'SESSION_NOT_FOUND', message: `Session ${tenant.session.id} does not exist` });
    await http().get('/sessions/no-such-session/tokens').set(asOwner()).expect(404);
  });
});
