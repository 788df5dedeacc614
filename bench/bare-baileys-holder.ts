/**
 * Bare Baileys, the reference of sessions.bench.ts and send.bench.ts: holds N linked companions of
 * the simulator in this process only (in-memory auth state, silent logger, no presence), as a
 * script without the gateway would, and sends texts with them. Forked by BareBaileysProcess and
 * driven over IPC; not meant to be run by hand.
 */
import { performance } from 'node:perf_hooks';
import { WA_CERT_DETAILS, type AuthenticationState } from '@whiskeysockets/baileys';
import { WaSimClient } from '../apps/wa-sim/src/client/wa-sim-client';
import { redactSignalLibraryConsole } from '../libs/observability/src/signal-library-console';
import { isClosed, linkCompanion, memoryAuthState, nextUpdate, openSocket, type Socket } from './support/baileys-companion';
import { BARE_PHONE_PREFIX, benchText, type BareCommand, type BareReply } from './support/bare-baileys-process';

// As the session worker does (apps/session-worker/src/main.ts): libsignal's session dumps are dropped, not printed.
redactSignalLibraryConsole();

const client = new WaSimClient(process.env.WA_SIM_CONTROL_URL!);
const wsUrl = process.env.WA_WS_URL!;
WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(process.env.WA_TRUSTED_ROOT_PUBLIC_KEY!, 'hex');

const companions: { auth: AuthenticationState; socket: Socket }[] = [];
const phoneOf = (index: number): string => `${BARE_PHONE_PREFIX}${String(index).padStart(8, '0')}`;

/**
 * Links companions until `upTo` are held, `concurrency` at a time. A failed link is tried again
 * with fresh creds (the account stays), up to `attempts` times; every `progressEvery` links (of
 * this command) a progress reply goes to the benchmark.
 */
async function link(command: Extract<BareCommand, { type: 'link' }>): Promise<BareReply> {
  const { upTo, concurrency, attempts, progressEvery } = command;
  const started = Date.now();
  const first = companions.length;
  let next = first;
  let linked = first;
  let retries = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < upTo) {
        const index = next++;
        for (let attempt = 1; ; attempt += 1) {
          try {
            const auth = memoryAuthState();
            companions[index] = { auth, socket: await linkCompanion(client, wsUrl, phoneOf(index), auth) };
            break;
          } catch (error) {
            if (attempt >= attempts)
              throw new Error(`companion ${phoneOf(index)} did not link in ${attempts} attempts: ${(error as Error).message}`, { cause: error });
            retries += 1;
          }
        }
        linked += 1;
        if (progressEvery > 0 && (linked - first) % progressEvery === 0)
          process.send!({ type: 'progress', count: linked, seconds: (Date.now() - started) / 1000, retries } satisfies BareReply);
      }
    }),
  );
  return { type: 'done', count: companions.length, seconds: (Date.now() - started) / 1000, retries };
}

/**
 * Closes every socket, then reopens the first `count` with their saved creds, all at once (the
 * rest are dropped, as sessions a restarted script no longer wants); seconds until all are open.
 */
async function restore(count = companions.length): Promise<BareReply> {
  // A socket that is closed already (dropped while this process stalled in the bench's forced GC:
  // the holder does not reconnect) says nothing more; the simulator's count below is what counts.
  const open = companions.filter(({ socket }) => !socket.ws.isClosed);
  const closed = open.map(({ socket }) => nextUpdate(socket, isClosed, 60_000));
  for (const { socket } of open) void socket.end(undefined);
  await Promise.allSettled(closed);
  companions.length = Math.min(count, companions.length);
  // Reopen only once the simulator has seen every close, so no login meets its own old connection.
  for (;;) {
    const { accounts } = await client.connections();
    if (accounts.every((account) => !account.phoneNumber.startsWith(BARE_PHONE_PREFIX) || account.live === 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const started = Date.now();
  // All at once, as a bare script restarting would; a socket that closes before it opens (a
  // connect timeout under load) is reopened, as any Baileys script's reconnect handler does.
  const attempts = await Promise.all(companions.map((companion) => reopen(companion)));
  const retries = attempts.reduce((sum, count) => sum + count - 1, 0);
  return { type: 'done', count: companions.length, seconds: (Date.now() - started) / 1000, retries };
}

async function reopen(companion: { auth: AuthenticationState; socket: Socket }): Promise<number> {
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    companion.socket = openSocket(companion.auth, wsUrl);
    const outcome = await nextUpdate(companion.socket, ({ connection }) => (connection === 'open' || connection === 'close' ? connection : undefined), 120_000);
    if (outcome === 'open') return attempt;
  }
  throw new Error('a companion did not reopen in 5 attempts');
}

/** Epoch ms with sub-ms resolution, comparable with the simulator's `receivedAtMs`. */
const now = (): number => performance.timeOrigin + performance.now();

async function send(index: number, to: string, text: string): Promise<BareReply> {
  const socket = companions[index].socket;
  const startedAtMs = now();
  await socket.sendMessage(to, { text });
  return { type: 'sent', startedAtMs, resolvedAtMs: now(), failures: [] };
}

/** Interleaved across companions (message n of every companion before n + 1), `concurrency` in flight. */
async function burst(command: Extract<BareCommand, { type: 'burst' }>): Promise<BareReply> {
  const { companions: count, perCompanion, concurrency, to, prefix } = command;
  const total = count * perCompanion;
  const failures: string[] = [];
  let next = 0;
  const startedAtMs = now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const item = next++;
        const index = item % count;
        const text = benchText(prefix, index, Math.floor(item / count));
        await companions[index].socket.sendMessage(to, { text }).catch((error: Error) => void failures.push(error.message));
      }
    }),
  );
  return { type: 'sent', startedAtMs, resolvedAtMs: now(), failures };
}

function run(command: BareCommand): Promise<BareReply> {
  switch (command.type) {
    case 'link':
      return link(command);
    case 'restore':
      return restore(command.count);
    case 'send':
      return send(command.index, command.to, command.text);
    case 'burst':
      return burst(command);
  }
}

process.on('message', (command: BareCommand) => {
  const work = run(command);
  void work.catch((error: Error): BareReply => ({ type: 'failed', message: error.stack ?? error.message })).then((reply) => process.send!(reply));
});
// The benchmark went away: nothing left to hold.
process.on('disconnect', () => process.exit(0));
// Profiled runs stop the holder this way, so that Node writes its CPU profile on exit.
process.once('SIGTERM', () => process.exit(0));
