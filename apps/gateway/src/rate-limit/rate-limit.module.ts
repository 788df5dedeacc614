import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Express } from 'express';
import { GatewayConfig } from '@app/config';
import { RedisClient } from '@app/redis';
import type { AuthenticatedRequest } from '../credentials/authenticated-request';
import { loginTracker } from './client-tracker';
import { API_THROTTLER, LOGIN_THROTTLER } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** Express `trust proxy` from TRUST_PROXY: off, a hop count, or Express' list/keyword form. */
function trustProxySetting(value: string | undefined): boolean | number | string {
  if (!value) return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}

/**
 * The limits RateLimitGuard enforces: API_RATE_LIMIT per API_RATE_WINDOW for every client, and
 * LOGIN_RATE_LIMIT per LOGIN_RATE_WINDOW on @LoginAttempt routes. Both are fixed windows (blockDuration 0).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [GatewayConfig, RedisClient],
      useFactory: (config: GatewayConfig, redis: RedisClient) => ({
        storage: new RedisThrottlerStorage(redis, config.REDIS_PREFIX),
        throttlers: [
          { name: API_THROTTLER, limit: config.API_RATE_LIMIT, ttl: config.API_RATE_WINDOW, blockDuration: 0 },
          {
            name: LOGIN_THROTTLER,
            limit: config.LOGIN_RATE_LIMIT,
            ttl: config.LOGIN_RATE_WINDOW,
            blockDuration: 0,
            getTracker: (request) => loginTracker(request as AuthenticatedRequest),
            setHeaders: false,
          },
        ],
      }),
    }),
  ],
})
export class RateLimitModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: GatewayConfig,
  ) {}

  /** Behind a reverse proxy every request comes from the proxy: per-IP limits need the forwarded address. */
  onModuleInit(): void {
    this.adapterHost.httpAdapter.getInstance<Express>().set('trust proxy', trustProxySetting(this.config.TRUST_PROXY));
  }
}
