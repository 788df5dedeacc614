import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, SESSION_ID_PATTERN } from '@app/contracts';
import { SessionRepository, type SessionRecord } from '@app/db';
import type { AuthenticatedRequest } from '../credentials/authenticated-request';
import { canAccessSession, canAccessUser, type Principal } from '../credentials/principal';
import { readRouteAuthRules, type RouteAuthRules } from '../credentials/route-auth-rules';

/** Methods that change nothing: the only ones readonly users may call (plus @ReadOnlySafe routes). */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Last global guard (after authentication and rate limiting): may this caller do this? Roles,
 * the readonly rule, then tenancy: a session or user account that is not the caller's does not
 * exist for them (404), so ids of other tenants cannot be probed.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = readRouteAuthRules(this.reflector, context);
    if (rules.isPublic || rules.isMetrics) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = request.principal;
    if (!principal) throw new AppError('UNAUTHORIZED', 'Authentication required');
    this.checkRole(principal, rules, request.method);
    // A session credential is only ever checked against the route's session; without one it has no business here.
    if (principal.via === 'session-token' && !rules.sessionParam && !rules.filtersToTokenSession) {
      throw new AppError('FORBIDDEN', 'Session tokens only act on their session');
    }
    if (rules.sessionParam) request.scopedSession = await this.checkSession(principal, request.params[rules.sessionParam], rules);
    if (rules.userParam) this.checkUser(principal, request.params[rules.userParam]);
    return true;
  }

  private checkRole(principal: Principal, rules: RouteAuthRules, method: string): void {
    if (rules.roles && !rules.roles.includes(principal.role)) {
      throw new AppError('FORBIDDEN', `This route needs the role ${rules.roles.join(' or ')}`);
    }
    if (principal.role === 'readonly' && !READ_METHODS.has(method) && !rules.readOnlySafe) {
      throw new AppError('FORBIDDEN', 'Read-only users cannot change anything');
    }
  }

  private async checkSession(principal: Principal, sessionId: string | string[] | undefined, rules: RouteAuthRules): Promise<SessionRecord | undefined> {
    const id = typeof sessionId === 'string' ? sessionId : '';
    // Checked here, before any lookup, so a malformed id is a 400 and not a misleading 404.
    if (!SESSION_ID_PATTERN.test(id)) {
      throw new AppError('INVALID_PAYLOAD', `${rules.sessionParam} must be 3-50 letters, digits, _ or -`, {
        fields: [{ field: rules.sessionParam, problems: ['must match ^[a-zA-Z0-9_-]{3,50}$'] }],
      });
    }
    const session = await this.sessions.findById(id);
    if (!session && rules.missingSessionAllowed && principal.via !== 'session-token') return undefined;
    if (!session || !canAccessSession(principal, session.id, session.userId)) {
      throw new AppError('SESSION_NOT_FOUND', `Session ${id} does not exist`);
    }
    return session;
  }

  private checkUser(principal: Principal, userId: string | string[] | undefined): void {
    const id = typeof userId === 'string' ? userId : '';
    if (!canAccessUser(principal, id)) throw new AppError('USER_NOT_FOUND', `User ${id} does not exist`);
  }
}
