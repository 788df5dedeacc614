import { useTenantGateway } from '../../../../test/support/tenant-gateway';

/** Per-session send pacing over the configured profiles (seed 001 anti-spam queue, seed 003 token bucket). */
describe('PUT/GET /sessions/{id}/pacing', () => {
  const gateway = useTenantGateway({ env: { BULK_SEND_MAX_PER_HOUR: '400' } });
  const { db, tenant, http, asOwner } = gateway;
  const url = () => `/sessions/${tenant.session.id}/pacing`;
  const stored = async () => (await db.prisma.session.findUniqueOrThrow({ where: { id: tenant.session.id } })).pacing;

  it('shows the configured profiles while the session has no settings of its own', async () => {
    const view = await http().get(url()).set(asOwner()).expect(200);
    expect(view.body).toEqual({
      sessionId: tenant.session.id,
      single: { ratePerMinute: 100, burst: 100, delayMinMs: 0, delayMaxMs: 0, maxPerMinute: 0, maxPerHour: 0, maxPerRecipientPerHour: 0, maxAttempts: 3 },
      bulk: { ratePerMinute: 0, burst: 1, delayMinMs: 3000, delayMaxMs: 7000, maxPerMinute: 20, maxPerHour: 400, maxPerRecipientPerHour: 10, maxAttempts: 3 },
      overrides: {},
    });
  });

  it('stores only the fields given and lays them over the configuration; {} returns to it', async () => {
    const updated = await http()
      .put(url())
      .set(asOwner())
      .send({ bulk: { delayMinMs: 500, delayMaxMs: 800, maxPerMinute: 0 }, single: { maxPerRecipientPerHour: 30 } })
      .expect(200);
    expect(updated.body.bulk).toEqual({
      ratePerMinute: 0,
      burst: 1,
      delayMinMs: 500,
      delayMaxMs: 800,
      maxPerMinute: 0,
      maxPerHour: 400,
      maxPerRecipientPerHour: 10,
      maxAttempts: 3,
    });
    expect(updated.body.single).toMatchObject({ ratePerMinute: 100, maxPerRecipientPerHour: 30 });
    expect(updated.body.overrides).toEqual({ bulk: { delayMinMs: 500, delayMaxMs: 800, maxPerMinute: 0 }, single: { maxPerRecipientPerHour: 30 } });
    expect(await stored()).toEqual({ bulk: { delayMinMs: 500, delayMaxMs: 800, maxPerMinute: 0 }, single: { maxPerRecipientPerHour: 30 } });
    expect((await http().get(url()).set(asOwner()).expect(200)).body).toEqual(updated.body);

    const reset = await http().put(url()).set(asOwner()).send({}).expect(200);
    expect(reset.body.overrides).toEqual({});
    expect(reset.body.bulk.delayMinMs).toBe(3000);
    expect(await stored()).toBeNull();
  });

  it('refuses bad settings with the field named, and other tenants', async () => {
    const invalid = async (body: object, field: string) => {
      const response = await http().put(url()).set(asOwner()).send(body).expect(400);
      expect(response.body.error.code).toBe('INVALID_PAYLOAD');
      expect(JSON.stringify(response.body.error)).toContain(field);
    };
    await invalid({ bulk: { delayMinMs: 5000, delayMaxMs: 1000 } }, 'delayMaxMs');
    await invalid({ single: { burst: 0 } }, 'burst');
    await invalid({ single: { maxAttempts: 0 } }, 'maxAttempts');
    await invalid({ bulk: { maxPerMinute: -1 } }, 'maxPerMinute');
    await invalid({ everything: { maxPerMinute: 1 } }, 'everything');
    const other = await gateway.anotherTenant();
    await http().get(url()).set({ 'x-api-key': other.apiKey.key }).expect(404);
    await http().put(url()).set({ 'x-api-key': other.apiKey.key }).send({}).expect(404);
  });
});
