import { createHash } from 'node:crypto';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Response } from 'express';
import { GatewayConfig } from '@app/config';
import type { AuthenticatedRequest } from '../credentials/authenticated-request';
import { clientIp, normalizeIp } from './client-ip';
import { clientTracker } from './client-tracker';
import { LOGIN_ATTEMPT_METADATA } from './login-attempt.decorator';
import { RateLimitedError } from './rate-limited.error';

/** The API limit keeps the name `default`, so its headers are the usual X-RateLimit-* and Retry-After. */
export const API_THROTTLER = 'default';
export const LOGIN_THROTTLER = 'login';

/**
 * Second global guard (after authentication, so it can count per key or user): HTTP rate limits
 * (seed 000) over Redis, shared by every gateway replica. Answers with RATE_LIMITED in the error
 * envelope, RATE_LIMIT_STATUS_CODE and RATE_LIMIT_MESSAGE.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly whitelist: Set<string>;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly config: GatewayConfig,
  ) {
    super(options, storage, reflector);
    this.whitelist = new Set(config.RATE_LIMIT_WHITELIST.map(normalizeIp));
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, throttler } = request;
    if (throttler.name === LOGIN_THROTTLER) {
      const isLogin = this.reflector.getAllAndOverride<boolean>(LOGIN_ATTEMPT_METADATA, [context.getHandler(), context.getClass()]);
      if (!isLogin) return true;
    } else if (this.whitelist.has(clientIp(context.switchToHttp().getRequest<AuthenticatedRequest>()))) {
      return true;
    }
    return super.handleRequest(request);
  }

  // The library types requests loosely; on the gateway's HTTP routes they are Express requests.
  protected override async getTracker(request: object): Promise<string> {
    return clientTracker(request as AuthenticatedRequest);
  }

  /** One budget per client across all routes (the library's default is one per route); hashed, so no email or IP sits in Redis. */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return createHash('sha256').update(tracker).digest('hex');
  }

  protected override async throwThrottlingException(context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(limit.timeToBlockExpire));
    const message = limit.tracker.startsWith('login:') ? `Too many login attempts; try again in ${limit.timeToBlockExpire} s` : this.config.RATE_LIMIT_MESSAGE;
    throw new RateLimitedError(message, this.config.RATE_LIMIT_STATUS_CODE);
  }
}
