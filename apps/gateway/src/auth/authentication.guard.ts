import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from '../credentials/authenticated-request';
import { Authenticator } from './authenticator';
import { readRouteAuthRules } from '../credentials/route-auth-rules';

/**
 * First global guard: who is calling. Every route needs a credential unless it is @Public()
 * (default deny); the principal is put on the request for the guards and handlers after it.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = readRouteAuthRules(this.reflector, context);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (rules.isMetrics) {
      request.principal = await this.authenticator.authenticateMetricsScrape(request, rules);
    } else if (!rules.isPublic) {
      request.principal = await this.authenticator.authenticate(request, rules);
    }
    return true;
  }
}
