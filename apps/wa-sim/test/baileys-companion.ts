import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import makeWASocket, {
  initAuthCreds,
  WA_CERT_DETAILS,
  type AuthenticationState,
  type BaileysEventMap,
  type ConnectionState,
  type proto,
  type SignalDataTypeMap,
  type WAMessage,
  type WAMessageUpdate,
} from '@whiskeysockets/baileys';
import pino from 'pino';
import { Agent as UndiciAgent } from 'undici';
import { WaSimClient } from '../src/client/wa-sim-client';
import { startWaSim, type RunningWaSim, type WaSimOptions } from '../src/wa-sim';

export type WASocket = ReturnType<typeof makeWASocket>;

/** A Baileys auth state kept in memory; reusing it across sockets is "login with saved creds". */
function memoryAuthState(): AuthenticationState {
  const store = new Map<string, unknown>();
  return {
    creds: initAuthCreds(),
    keys: {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const found: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const id of ids) {
          const value = store.get(`${type}/${id}`);
          if (value !== undefined) found[id] = value as SignalDataTypeMap[T];
        }
        return found;
      },
      set: async (data) => {
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            if (value === null || value === undefined) store.delete(`${type}/${id}`);
            else store.set(`${type}/${id}`, value);
          }
        }
      },
    },
  };
}

export interface TestSim extends RunningWaSim {
  client: WaSimClient;
  stateDir: string;
  /**
   * Trust in the media host's CA for this process. Other processes set NODE_EXTRA_CA_CERTS, but
   * node reads it only at start-up, so jest cannot: Companion.connect passes `mediaAgent` as
   * Baileys' `fetchAgent` (uploads use node https), and `mediaFetchOptions` (an undici dispatcher
   * trusting the CA) is the `options` to give `downloadMediaMessage` (downloads use fetch).
   */
  mediaAgent: HttpsAgent;
  mediaFetchOptions: RequestInit;
  /** Stops the simulator; keeps the state directory unless `wipe`. */
  stop(wipe?: boolean): Promise<void>;
}

export async function startTestSim(stateDir = mkdtempSync(join(tmpdir(), 'wa-sim-')), options: Partial<WaSimOptions> = {}): Promise<TestSim> {
  const sim = await startWaSim({ stateDir, port: 0, logger: false, ...options });
  WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(sim.rootPublicKeyHex, 'hex');
  const ca = readFileSync(sim.caCertificatePath, 'utf8');
  const mediaAgent = new HttpsAgent({ ca });
  const mediaDispatcher = new UndiciAgent({ connect: { ca } });
  return {
    ...sim,
    client: new WaSimClient(sim.controlUrl),
    stateDir,
    mediaAgent,
    // npm undici's types differ from node's bundled undici-types; at run time node's fetch takes it.
    mediaFetchOptions: { dispatcher: mediaDispatcher } as unknown as RequestInit,
    async stop(wipe = true) {
      await sim.close();
      mediaAgent.destroy();
      await mediaDispatcher.destroy();
      if (wipe) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

const silentLogger = pino({ level: 'silent' });

/** Waits for the first event value the predicate accepts (or rejects after `timeoutMs`). */
function waitForEvent<K extends keyof BaileysEventMap, R>(
  socket: WASocket,
  event: K,
  pick: (value: BaileysEventMap[K]) => R | undefined,
  timeoutMs: number,
): Promise<R> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.ev.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(event)}`));
    }, timeoutMs);
    const listener = (value: BaileysEventMap[K]): void => {
      const picked = pick(value);
      if (picked === undefined) return;
      clearTimeout(timer);
      socket.ev.off(event, listener);
      resolve(picked);
    };
    socket.ev.on(event, listener);
  });
}

/** One real Baileys socket against the simulator, with the events tests assert on recorded. */
export class Companion {
  readonly upserts: { type: string; message: WAMessage }[] = [];
  readonly updates: WAMessageUpdate[] = [];
  readonly qrs: string[] = [];
  closeCode?: number;

  private constructor(
    readonly socket: WASocket,
    readonly auth: AuthenticationState,
  ) {
    socket.ev.on('messages.upsert', ({ messages, type }) => this.upserts.push(...messages.map((message) => ({ type, message }))));
    socket.ev.on('messages.update', (updates) => this.updates.push(...updates));
    socket.ev.on('connection.update', (update) => {
      if (update.qr) this.qrs.push(update.qr);
      if (update.connection === 'close') this.closeCode = statusCode(update);
    });
  }

  static connect(sim: Pick<RunningWaSim, 'wsUrl'> & Partial<Pick<TestSim, 'mediaAgent'>>, auth = memoryAuthState()): Companion {
    // Short query timeout: Baileys leaves queries in flight at close pending until it expires.
    const socket = makeWASocket({
      auth,
      waWebSocketUrl: sim.wsUrl,
      fetchAgent: sim.mediaAgent,
      logger: silentLogger,
      markOnlineOnConnect: false,
      defaultQueryTimeoutMs: 5_000,
    });
    return new Companion(socket, auth);
  }

  get me(): AuthenticationState['creds']['me'] {
    return this.auth.creds.me;
  }

  waitForQr(timeoutMs = 10_000): Promise<string> {
    if (this.qrs[0]) return Promise.resolve(this.qrs[0]);
    return waitForEvent(this.socket, 'connection.update', (update) => update.qr, timeoutMs);
  }

  waitForOpen(timeoutMs = 15_000): Promise<void> {
    return waitForEvent(this.socket, 'connection.update', (update) => (update.connection === 'open' ? true : undefined), timeoutMs).then(() => undefined);
  }

  /** Resolves with the DisconnectReason code Baileys reports when the socket closes. */
  waitForClose(timeoutMs = 15_000): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return waitForEvent(this.socket, 'connection.update', (update) => (update.connection === 'close' ? statusCode(update) : undefined), timeoutMs);
  }

  async waitForUpsert(predicate: (entry: { type: string; message: WAMessage }) => boolean, timeoutMs = 10_000): Promise<{ type: string; message: WAMessage }> {
    return waitUntil(() => this.upserts.find(predicate), timeoutMs, 'messages.upsert');
  }

  async waitForStatus(messageId: string, status: proto.WebMessageInfo.Status, timeoutMs = 10_000): Promise<WAMessageUpdate> {
    return waitUntil(
      () => this.updates.find((update) => update.key.id === messageId && update.update.status === status),
      timeoutMs,
      `status ${status} of ${messageId}`,
    );
  }

  async end(): Promise<void> {
    if (this.closeCode !== undefined) return;
    const closed = this.waitForClose().catch(() => undefined);
    void this.socket.end(undefined);
    await closed;
  }
}

function statusCode(update: Partial<ConnectionState>): number {
  return (update.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode ?? 0;
}

/** Polls until `probe` returns a value. */
export async function waitUntil<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Links a fresh Baileys companion to the account by QR, then reconnects it after the 515
 * restart exactly as an app does, and returns the logged-in companion.
 */
export async function linkByQr(sim: TestSim, phoneNumber: string): Promise<Companion> {
  const registering = Companion.connect(sim);
  const qr = await registering.waitForQr();
  await sim.client.scanQr(phoneNumber, qr);
  const code = await registering.waitForClose();
  if (code !== 515) throw new Error(`expected restartRequired (515) after pairing, got ${code}`);
  const companion = Companion.connect(sim, registering.auth);
  await companion.waitForOpen();
  return companion;
}
