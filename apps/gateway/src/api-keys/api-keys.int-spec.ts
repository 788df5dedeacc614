import { hashSecret } from '../credentials/secret-tokens';
import { useTenantGateway } from '../../../../test/support/tenant-gateway';

describe('/users/{id}/api-keys', () => {
  const { db, tenant, http, anotherTenant } = useTenantGateway();
  const asTenant = () => ({ authorization: `Bearer ${tenant.jwt}` });

  it('shows a new key once, stores only its hash, and lists prefix and metadata only', async () => {
    const created = await http()
      .post(`/users/${tenant.user.id}/api-keys`)
      .set(asTenant())
      .send({ name: 'crm', expiresAt: '2099-01-01T00:00:00.000Z' })
      .expect(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^wgk_[\w-]{43}$/);
    expect(created.body).toMatchObject({ name: 'crm', prefix: key.slice(0, 12), expiresAt: '2099-01-01T00:00:00.000Z', lastUsedAt: null, revokedAt: null });

    const row = await db.prisma.userApiKey.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.keyHash).toBe(hashSecret(key));
    expect(JSON.stringify(row)).not.toContain(key);

    const list = await http().get(`/users/${tenant.user.id}/api-keys`).set(asTenant()).expect(200);
    expect(list.body).toContainEqual({ ...created.body, key: undefined });
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(row.keyHash);
    for (const item of list.body) expect(Object.keys(item).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);

    await http().get('/auth/me').set('x-api-key', key).expect(200);
  });

  it('revokes a key (idempotently) and says 404 for a key of another user', async () => {
    const created = await http().post(`/users/${tenant.user.id}/api-keys`).set(asTenant()).send({ name: 'temp' }).expect(201);
    const revoked = await http().delete(`/users/${tenant.user.id}/api-keys/${created.body.id}`).set(asTenant()).expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    await http().delete(`/users/${tenant.user.id}/api-keys/${created.body.id}`).set(asTenant()).expect(200, revoked.body);
    await http().get('/auth/me').set('x-api-key', created.body.key).expect(401);

    const other = await anotherTenant();
    const foreign = await http().delete(`/users/${tenant.user.id}/api-keys/${other.apiKey.id}`).set(asTenant()).expect(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    await http().get('/auth/me').set('x-api-key', other.apiKey.key).expect(200);
  });

  it('refuses an expiry in the past and an unknown user (for admins)', async () => {
    await http().post(`/users/${tenant.user.id}/api-keys`).set(asTenant()).send({ name: 'old', expiresAt: '2001-01-01T00:00:00Z' }).expect(400);
    const admin = await anotherTenant('admin');
    const missing = await http().get('/users/no-such-user/api-keys').set('authorization', `Bearer ${admin.jwt}`).expect(404);
    expect(missing.body.error.code).toBe('USER_NOT_FOUND');
  });
});
