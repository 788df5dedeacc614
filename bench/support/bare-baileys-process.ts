import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { collectGarbage, INSPECTOR_NODE_OPTIONS, inspectorUrlIn } from './inspector-gc';
import { cpuProfiling, profilerNodeArgs } from './cpu-profile';

/** Accounts of bare companions (the worker's sessions use another prefix), to tell them apart in the simulator's counts. */
export const BARE_PHONE_PREFIX = '62822';

/** Text of message `n` of sender `index` in send.bench.ts: the same shape on every path (`<prefix> 00000 000000`). */
export const benchText = (prefix: string, index: number, n: number): string => `${prefix} ${String(index).padStart(5, '0')} ${String(n).padStart(6, '0')}`;

/**
 * What the benchmark asks the bare Baileys holder to do (one command at a time, over IPC).
 * `link`: link companions until `upTo` are held, `concurrency` at a time, each tried up to
 * `attempts` times, a progress reply every `progressEvery` links (0: none); `restore`: close all,
 * reopen the first `count` (default all); `send`: companion `index` sends one text; `burst`: the
 * first `companions` send `perCompanion` texts each (`<prefix> <companion> <n>`, interleaved
 * across companions), at most `concurrency` `sendMessage` calls in flight.
 */
export type BareCommand =
  | { type: 'link'; upTo: number; concurrency: number; attempts: number; progressEvery: number }
  | { type: 'restore'; count?: number }
  | { type: 'send'; index: number; to: string; text: string }
  | { type: 'burst'; companions: number; perCompanion: number; concurrency: number; to: string; prefix: string };

/**
 * `done` — `count`: companions held afterwards; `seconds`: how long the command took; `retries`:
 * links tried again, or reopened sockets that closed first. `progress` — companions held so far
 * during a link, and its seconds and retries until now (the command goes on). `sent` — clock
 * readings (`performance.timeOrigin + performance.now()`, epoch ms, sub-ms) right before the
 * first `sendMessage` and once the last resolved, with the failed sends.
 */
export type BareReply =
  | { type: 'done'; count: number; seconds: number; retries?: number }
  | { type: 'progress'; count: number; seconds: number; retries: number }
  | { type: 'sent'; startedAtMs: number; resolvedAtMs: number; failures: string[] }
  | { type: 'failed'; message: string };

type Done = Omit<Extract<BareReply, { type: 'done' }>, 'type'>;
export type BareProgress = Omit<Extract<BareReply, { type: 'progress' }>, 'type'>;
/** Link options of the holder (see BareCommand `link`). */
export type BareLinkOptions = Omit<Extract<BareCommand, { type: 'link' }>, 'type' | 'upTo'>;
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
      execArgv: profilerNodeArgs('bare'),
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

  /**
   * Links companions until it holds `upTo`; the seconds it took. A number as second argument is
   * the concurrency, with 3 attempts per link and no progress reports.
   */
  link(upTo: number, options: number | BareLinkOptions, onProgress?: (progress: BareProgress) => void): Promise<Done> {
    const settings = typeof options === 'number' ? { concurrency: options, attempts: 3, progressEvery: 0 } : options;
    return this.request({ type: 'link', upTo, ...settings }, onProgress);
  }

  /**
   * Closes every socket, then reopens the first `count` (default all) with the saved creds at
   * once, dropping the rest; seconds until all are open.
   */
  restore(count?: number): Promise<Done> {
    return this.request({ type: 'restore', count });
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
    // A killed process writes no CPU profile: a profiled holder is asked to exit.
    this.child.kill(cpuProfiling ? 'SIGTERM' : 'SIGKILL');
    await this.exited;
  }

  private request<T extends Done | BareSent>(command: BareCommand, onProgress?: (progress: BareProgress) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`bare Baileys holder exited (${code}) during ${command.type}`));
      const onMessage = (reply: BareReply): void => {
        if (reply.type === 'progress') return void onProgress?.(reply);
        this.child.off('exit', onExit);
        this.child.off('message', onMessage);
        if (reply.type === 'failed') reject(new Error(`bare Baileys holder: ${reply.message}`));
        else resolve(reply as unknown as T);
      };
      this.child.once('exit', onExit);
      this.child.on('message', onMessage);
      this.child.send(command);
    });
  }
}
