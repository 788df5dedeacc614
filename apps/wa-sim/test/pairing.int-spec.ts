import { DisconnectReason, initAuthCreds } from '@whiskeysockets/baileys';
import { WaSimRequestError } from '../src/client/wa-sim-client';
import { Companion, linkByQr, startTestSim } from './baileys-companion';
import { useTestSim } from './sim-test-setup';

describe('wa-sim pairing and login (real Baileys)', () => {
  const { sim, open } = useTestSim();
  it('links a companion by QR: pair-success, 515, then login opens with me set', async () => {
    const account = await sim.client.createAccount('6281100000001', 'Budi');
    const companion = await linkByQr(sim, '6281100000001');
    open.push(companion);

    expect(companion.me?.id).toBe('6281100000001:1@s.whatsapp.net');
    expect(companion.me?.lid).toBe(account.lid.replace('@lid', ':1@lid'));
    const listed = await sim.client.phone('6281100000001');
    expect(listed.devices).toEqual([expect.objectContaining({ deviceId: 1, connected: true })]);
    expect(listed.connections).toEqual({ live: 1, max: 1 });
  });

  it('refuses a QR no waiting companion shows', async () => {
    await sim.client.createAccount('6281100000002');
    const attempt = sim.client.scanQr('6281100000002', 'ref,bm9pc2U=,aWRlbnRpdHk=,YWR2');
    await expect(attempt).rejects.toMatchObject({ status: 404, code: 'QR_UNKNOWN' });
  });

  it('links a companion by pairing code', async () => {
    await sim.client.createAccount('6281100000003');
    const registering = Companion.connect(sim);
    await registering.waitForQr();
    const code = await registering.socket.requestPairingCode('6281100000003');

    const linked = await sim.client.completePairingCode('6281100000003', code);
    expect(linked).toEqual({ phoneNumber: '6281100000003', deviceId: 1, jid: '6281100000003:1@s.whatsapp.net' });
    expect(await registering.waitForClose()).toBe(DisconnectReason.restartRequired);
    expect(registering.auth.creds.registered).toBe(true);

    const companion = Companion.connect(sim, registering.auth);
    open.push(companion);
    await companion.waitForOpen();
    expect(companion.me?.id).toBe('6281100000003:1@s.whatsapp.net');
  });

  it('rejects a wrong pairing code', async () => {
    await sim.client.createAccount('6281100000004');
    const registering = Companion.connect(sim);
    open.push(registering);
    await registering.waitForQr();
    const code = await registering.socket.requestPairingCode('6281100000004');
    const wrong = code.startsWith('A') ? `B${code.slice(1)}` : `A${code.slice(1)}`;

    const attempt = sim.client.completePairingCode('6281100000004', wrong);
    await expect(attempt).rejects.toBeInstanceOf(WaSimRequestError);
    await expect(attempt).rejects.toMatchObject({ status: 400, code: 'PAIRING_CODE_MISMATCH' });
    expect((await sim.client.phone('6281100000004')).devices).toEqual([]);
  });

  it('logs in again with saved creds without a QR', async () => {
    await sim.client.createAccount('6281100000005');
    const first = await linkByQr(sim, '6281100000005');
    await first.end();

    const again = Companion.connect(sim, first.auth);
    open.push(again);
    await again.waitForOpen();
    expect(again.qrs).toEqual([]);
    expect((await sim.client.phone('6281100000005')).connections.live).toBe(1);
  });

  it('accepts saved creds after the simulator restarts on the same state directory', async () => {
    const own = await startTestSim();
    await own.client.createAccount('6281100000006');
    const first = await linkByQr(own, '6281100000006');
    await first.end();
    await own.stop(false);

    const restarted = await startTestSim(own.stateDir);
    try {
      expect(restarted.rootPublicKeyHex).toBe(own.rootPublicKeyHex);
      const again = Companion.connect(restarted, first.auth);
      await again.waitForOpen();
      expect(again.qrs).toEqual([]);
      await again.end();
    } finally {
      await restarted.stop();
    }
  });

  it('refuses a login whose Noise key is not the one linked (401, Baileys: loggedOut)', async () => {
    await sim.client.createAccount('6281100000007');
    const first = await linkByQr(sim, '6281100000007');
    await first.end();

    const impostor = Companion.connect(sim, { ...first.auth, creds: { ...first.auth.creds, noiseKey: initAuthCreds().noiseKey } });
    expect(await impostor.waitForClose()).toBe(DisconnectReason.loggedOut);
    expect((await sim.client.phone('6281100000007')).connections).toEqual({ live: 0, max: 1 });
  });
});
