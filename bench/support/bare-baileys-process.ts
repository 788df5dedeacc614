import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { collectGarbage, INSPECTOR_NODE_OPTIONS, inspectorUrlIn } from './inspector-gc';

/** Accounts of bare companions (the worker's sessions use another prefix), to tell them apart in the simulator's counts. */
export const BARE_PHONE_PREFIX = '62822';

/** Text of message `n` of sender `index` in send.bench.ts: the same shape on every path (`<prefix> 00000 000000`). */
export const benchText = (prefix: string, index: number, n: number): string =>
  `${prefix} ${String(index).padStart(5, '0')} ${String(n).padStart(6, '0')}`;

/**
 * What the benchmark asks the bare Baileys holder to do (one command at a time, over IPC).
 * `send`: companion `index` sends one text; `burst`: the first `companions` send `perCompanion`
 * texts each (`<prefix> <companion> <n>`, interleaved across companions), at most `concurrency`
 * `sendMessage` calls in flight.
 */
export type BareCommand =
  | { type: 'link'; upTo: number; concurrency: number }
  | { type: 'restore' }
  | { type: 'send'; index: number; to: string; text: string }
  | { type: 'burst'; companions: number; perCompanion: number; concurrency: number; to: string; prefix: string };

/**
 * `done` — `count`: companions held afterwards; `seconds`: how long the command took; `retries`:
 * reopened sockets that closed first. `sent` — clock readings (`performance.timeOrigin +
 * performance.now()`, epoch ms, sub-ms) right before the first `sendMessage` and once the last
 * resolved, with the failed sends.
 */
export type BareReply =
  | { type: 'done'; count: number; seconds: number; retries?: number }
  | { type: 'sent'; startedAtMs: number; resolvedAtMs: number; failures: string[] }
  | { type: 'failed'; message: string };

type Done = Omit<Extract<BareReply, { type: 'done' }>, 'type'>;
export type BareSent = Omit<Extract<BareReply, { type: 'sent' }>, 'type'>;

export interface BareSimSettings {
  controlUrl: string;
  wsUrl: string;
  rootPublicKey: string;
}

/**
 * The reference for the worker: bare Baileys in a process of its own (bare-baileys-holder.ts),
 * started with the same Node flags as the worker (none) and a minimal environment, so its RSS can
 * be read from outside exactly like the worker's.
 */
export class BareBaileysProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly stderr: string[] = [];

  constructor(sim: BareSimSettings) {
    this.child = fork(join(__dirname, '..', 'bare-baileys-holder.js'), [], {
      execArgv: [],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_OPTIONS: INSPECTOR_NODE_OPTIONS,
        WA_SIM_CONTROL_URL: sim.controlUrl,
        WA_WS_URL: sim.wsUrl,
        WA_TRUSTED_ROOT_PUBLIC_KEY: sim.rootPublicKey,
      },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    // Kept for the inspector URL; anything else is the holder failing, so it is passed on.
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr.push(...chunk.split('\n'));
      if (!/Debugger|For help|inspector/.test(chunk)) process.stderr.write(chunk);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Links companions until it holds `upTo`; the seconds it took. */
  link(upTo: number, concurrency: number): Promise<Done> {
    return this.request({ type: 'link', upTo, concurrency });
  }

  /** Closes every socket, then reopens all with the saved creds at once; seconds until all are open. */
  restore(): Promise<Done> {
    return this.request({ type: 'restore' });
  }

  /** Companion `index` sends `text` to `to` (a JID); when it started and when `sendMessage` resolved. */
  send(index: number, to: string, text: string): Promise<BareSent> {
    return this.request({ type: 'send', index, to, text });
  }

  /** See BareCommand `burst`. */
  burst(options: Omit<Extract<BareCommand, { type: 'burst' }>, 'type'>): Promise<BareSent> {
    return this.request({ type: 'burst', ...options });
  }

  async collectGarbage(): Promise<void> {
    const url = inspectorUrlIn(this.stderr);
    if (!url) throw new Error('the bare Baileys holder printed no inspector URL');
    await collectGarbage(url);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private request<T extends Done | BareSent>(command: BareCommand): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`bare Baileys holder exited (${code}) during ${command.type}`));
      this.child.once('exit', onExit);
      this.child.once('message', (reply: BareReply) => {
        this.child.off('exit', onExit);
        if (reply.type === 'failed') reject(new Error(`bare Baileys holder: ${reply.message}`));
        else resolve(reply as unknown as T);
      });
      this.child.send(command);
    });
  }
}
