import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SessionWorkerConfig } from '@app/config';

/** Heap growth since the last settle that is worth a full collection, and the least growth that counts. */
const GROWTH_FACTOR = 1.25;
const MIN_GROWTH_BYTES = 32 * 1024 * 1024;

/**
 * Gives memory back after bursts. Linking or restoring sessions (key generation, pre-key uploads,
 * history) leaves hundreds of MiB of garbage in the old generation, which V8 collects only under
 * pressure: on a large machine the worker would look several times its size for minutes. Every
 * MEMORY_SETTLE_INTERVAL_MS, when the heap grew by a quarter since it last settled, a full
 * collection runs (tens of milliseconds per hundred MiB, far below the lease TTL) and V8 returns
 * the freed pages.
 */
@Injectable()
export class MemorySettler implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private settledHeap = 0;
  private collect: (() => void) | null = null;

  constructor(
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(MemorySettler.name);
  }

  onModuleInit(): void {
    if (this.config.MEMORY_SETTLE_INTERVAL_MS === 0) return;
    // The documented way to reach V8's collector without starting Node with --expose-gc.
    setFlagsFromString('--expose-gc');
    this.collect = runInNewContext('gc') as () => void;
    this.settledHeap = process.memoryUsage().heapUsed;
    this.timer = setInterval(() => this.settleIfGrown(), this.config.MEMORY_SETTLE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Runs a full collection when the heap grew enough since the last one; returns whether it ran. */
  settleIfGrown(): boolean {
    const heap = process.memoryUsage().heapUsed;
    if (!this.collect || heap < this.settledHeap * GROWTH_FACTOR || heap - this.settledHeap < MIN_GROWTH_BYTES) return false;
    const started = performance.now();
    this.collect();
    this.settledHeap = process.memoryUsage().heapUsed;
    this.logger.debug({ heapBefore: heap, heapAfter: this.settledHeap, pauseMs: Math.round(performance.now() - started) }, 'memory settled');
    return true;
  }
}
