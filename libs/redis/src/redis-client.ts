import { createHash } from 'node:crypto';
import { type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

/** A Lua script and its SHA1, so it travels by EVALSHA once Redis has seen it. */
export interface LuaScript {
  source: string;
  sha: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** The process's shared Redis connection for leases, registry and caches (not pub/sub, not BullMQ). */
export class RedisClient extends Redis implements OnApplicationShutdown {
  /** EVALSHA, sending the script itself when this Redis has not seen it yet (restart, failover). */
  async runScript(script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.eval(script.source, keys.length, ...keys, ...args);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.status === 'ready') await this.quit();
    else this.disconnect();
  }
}
