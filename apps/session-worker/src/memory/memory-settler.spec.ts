import type { PinoLogger } from 'nestjs-pino';
import type { SessionWorkerConfig } from '@app/config';
import { MemorySettler } from './memory-settler.service';

const logger = { setContext: () => undefined, debug: () => undefined } as unknown as PinoLogger;

describe('MemorySettler', () => {
  it('collects garbage once the heap grew by a quarter, and gives the memory back', () => {
    const settler = new MemorySettler({ MEMORY_SETTLE_INTERVAL_MS: 3_600_000 } as SessionWorkerConfig, logger);
    settler.onModuleInit();
    try {
      expect(settler.settleIfGrown()).toBe(false);
      // Garbage of a burst: short-lived objects, a third of the heap and at least 48 MiB, that nothing references any more.
      const target = Math.max(process.memoryUsage().heapUsed * 1.35, process.memoryUsage().heapUsed + 48 * 1024 * 1024);
      let garbage: unknown[] | null = [];
      while (process.memoryUsage().heapUsed < target) garbage.push(Array.from({ length: 10_000 }, (_, index) => ({ index })));
      garbage = null;
      expect(garbage).toBeNull();
      const before = process.memoryUsage().heapUsed;
      expect(settler.settleIfGrown()).toBe(true);
      expect(process.memoryUsage().heapUsed).toBeLessThan(before - 32 * 1024 * 1024);
      expect(settler.settleIfGrown()).toBe(false);
    } finally {
      settler.onApplicationShutdown();
    }
  });

  it('does nothing when turned off', () => {
    const settler = new MemorySettler({ MEMORY_SETTLE_INTERVAL_MS: 0 } as SessionWorkerConfig, logger);
    settler.onModuleInit();
    expect(settler.settleIfGrown()).toBe(false);
  });
});
