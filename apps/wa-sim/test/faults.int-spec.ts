import { DisconnectReason } from '@whiskeysockets/baileys';
import { Companion } from './baileys-companion';
import { useTestSim } from './sim-test-setup';

describe('wa-sim faults and connection counting (real Baileys)', () => {
  const { sim, open, linkedAccount } = useTestSim();

  it('unlinking a connected device logs Baileys out, and its next login gets 401', async () => {
    const companion = await linkedAccount('6283300000001');
    await sim.client.unlink('6283300000001', 1);

    expect(await companion.waitForClose()).toBe(DisconnectReason.loggedOut);
    expect((await sim.client.phone('6283300000001')).devices).toEqual([]);
    const retry = Companion.connect(sim, companion.auth);
    expect(await retry.waitForClose()).toBe(DisconnectReason.loggedOut);
  });

  it('Baileys logout unlinks its own device', async () => {
    const companion = await linkedAccount('6283300000002');
    await companion.socket.logout();
    expect(await companion.waitForClose()).toBe(DisconnectReason.loggedOut);
    await expect(sim.client.phone('6283300000002')).resolves.toMatchObject({ devices: [] });
  });

  it('a dropped connection closes in Baileys, which can reconnect with its creds', async () => {
    const companion = await linkedAccount('6283300000003');
    expect(await sim.client.drop('6283300000003')).toEqual({ connections: 1 });
    expect(await companion.waitForClose()).toBe(DisconnectReason.connectionClosed);

    const again = Companion.connect(sim, companion.auth);
    open.push(again);
    await again.waitForOpen();
    expect((await sim.client.phone('6283300000003')).connections.live).toBe(1);
  });

  it.each([
    ['conflict', DisconnectReason.connectionReplaced, '6283300000101'],
    ['replaced', DisconnectReason.connectionReplaced, '6283300000102'],
    ['restart_required', DisconnectReason.restartRequired, '6283300000103'],
  ] as const)('stream error %s reaches Baileys as %i', async (kind, expected, phoneNumber) => {
    const companion = await linkedAccount(phoneNumber);
    await sim.client.streamError(phoneNumber, kind);
    expect(await companion.waitForClose()).toBe(expected);
  });

  it('counts live connections per account and remembers the maximum until reset', async () => {
    const first = await linkedAccount('6283300000004');
    expect((await sim.client.phone('6283300000004')).connections).toEqual({ live: 1, max: 1 });

    // A second socket with the same creds: WhatsApp replaces the first one, but both were live.
    const second = Companion.connect(sim, first.auth);
    open.push(second);
    await second.waitForOpen();
    expect(await first.waitForClose()).toBe(DisconnectReason.connectionReplaced);
    expect((await sim.client.phone('6283300000004')).connections).toEqual({ live: 1, max: 2 });

    const afterReset = await sim.client.resetMaxConnections('6283300000004');
    expect(afterReset.accounts.find((account) => account.phoneNumber === '6283300000004')).toEqual({
      phoneNumber: '6283300000004',
      live: 1,
      max: 1,
    });
    await second.end();
    expect((await sim.client.phone('6283300000004')).connections).toEqual({ live: 0, max: 1 });
  });

  it('reports faults on accounts without a live connection as errors', async () => {
    await sim.client.createAccount('6283300000005');
    await expect(sim.client.drop('6283300000005')).rejects.toMatchObject({ status: 409, code: 'NOT_CONNECTED' });
    await expect(sim.client.drop('6280000000000')).rejects.toMatchObject({ status: 404, code: 'PHONE_NOT_FOUND' });
  });
});
