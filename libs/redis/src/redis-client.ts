import { type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

/** The process's shared Redis connection for leases, registry and caches (not pub/sub, not BullMQ). */
export class RedisClient extends Redis implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    if (this.status === 'ready') await this.quit();
    else this.disconnect();
  }
}
