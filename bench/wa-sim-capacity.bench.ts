/**
 * WhatsApp simulator capacity: links N bare Baileys companions (this process) to a simulator
 * running in its own process, keeps them connected, and reports the simulator's memory and CPU
 * per connection: idle (keep-alive only) and for one text per companion.
 *
 *   npm run build && npm run bench:wa-sim            # N = 500
 *   WA_SIM_BENCH_COMPANIONS=50 npm run bench:wa-sim
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WA_CERT_DETAILS } from '@whiskeysockets/baileys';
import { WaSimClient } from '../apps/wa-sim/src/client/wa-sim-client';
import { linkCompanion, type Socket } from './support/baileys-companion';
import { sample } from './support/process-sample';
import { startSimulator } from './support/simulator-process';

const COMPANIONS = Number(process.env.WA_SIM_BENCH_COMPANIONS ?? 500);
const CONCURRENCY = Number(process.env.WA_SIM_BENCH_CONCURRENCY ?? 6);
const IDLE_WINDOW_MS = Number(process.env.WA_SIM_BENCH_IDLE_MS ?? 60_000);
const PORT = Number(process.env.WA_SIM_BENCH_PORT ?? 7311);

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'wa-sim-bench-'));
  const simulator = await startSimulator(stateDir, PORT);
  const pid = simulator.pid!;
  const client = new WaSimClient(`http://127.0.0.1:${PORT}`);
  const info = await client.info();
  WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(info.rootPublicKey, 'hex');
  const baseline = sample(pid);

  const sockets: Socket[] = [];
  const linkStart = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < COMPANIONS) {
        const index = next++;
        sockets.push(await linkCompanion(client, info.wsUrl, `6285${String(index).padStart(9, '0')}`));
        if (sockets.length % 50 === 0) process.stdout.write(`linked ${sockets.length}/${COMPANIONS}\n`);
      }
    }),
  );
  const linkSeconds = (Date.now() - linkStart) / 1000;
  const linked = sample(pid);
  const connections = await client.connections();

  await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
  const idle = sample(pid);

  await client.createContact('6289999999999');
  await Promise.all(sockets.map((socket) => socket.sendMessage('6289999999999@s.whatsapp.net', { text: 'bench' })));
  const expected = COMPANIONS;
  const deadline = Date.now() + 120_000;
  while ((await client.sentMessages({ to: '6289999999999' })).length < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const received = (await client.sentMessages({ to: '6289999999999' })).length;
  const burst = sample(pid);

  const perConnectionKiB = ((linked.rssMiB - baseline.rssMiB) * 1024) / COMPANIONS;
  const idleCpuPercentPer100 = ((idle.cpuSeconds - linked.cpuSeconds) / (IDLE_WINDOW_MS / 1000)) * 100 * (100 / COMPANIONS);
  const result = {
    companions: COMPANIONS,
    authenticatedConnections: connections.authenticated,
    linkSeconds,
    simulator: {
      baselineRssMiB: +baseline.rssMiB.toFixed(1),
      rssWithCompanionsMiB: +linked.rssMiB.toFixed(1),
      rssPerConnectionKiB: +perConnectionKiB.toFixed(1),
      linkingCpuSecondsPerCompanion: +((linked.cpuSeconds - baseline.cpuSeconds) / COMPANIONS).toFixed(4),
      idleCpuPercentPer100Connections: +idleCpuPercentPer100.toFixed(3),
      messagesDecrypted: received,
      cpuMsPerMessage: +(((burst.cpuSeconds - idle.cpuSeconds) * 1000) / Math.max(received, 1)).toFixed(2),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

  for (const socket of sockets) void socket.end(undefined);
  simulator.kill('SIGTERM');
  rmSync(stateDir, { recursive: true, force: true });
  if (connections.authenticated !== COMPANIONS || received !== expected) {
    process.stderr.write('capacity target missed\n');
    process.exitCode = 1;
  }
  setTimeout(() => process.exit(), 2_000).unref();
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
