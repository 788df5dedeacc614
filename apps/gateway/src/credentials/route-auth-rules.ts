import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { UserRole } from '@app/contracts';
import { AUTH_METADATA } from './auth.decorators';

/** What a route's auth decorators (on the handler, else its controller) ask of the caller. */
export interface RouteAuthRules {
  isPublic: boolean;
  /** The Prometheus scrape endpoint: public unless METRICS_TOKEN is set. */
  isMetrics: boolean;
  roles: UserRole[] | undefined;
  sessionParam: string | undefined;
  /** A session that does not exist passes (the handler answers); one of another tenant still does not. */
  missingSessionAllowed: boolean;
  userParam: string | undefined;
  acceptsSessionToken: boolean;
  readOnlySafe: boolean;
  /** A live-events ticket in `?ticket=` is accepted instead of a credential header. */
  acceptsTicket: boolean;
  /** The handler confines a session token to its own session (no session parameter needed). */
  filtersToTokenSession: boolean;
}

export function readRouteAuthRules(reflector: Reflector, context: ExecutionContext): RouteAuthRules {
  const targets = [context.getHandler(), context.getClass()];
  const read = <T>(key: string): T | undefined => reflector.getAllAndOverride<T>(key, targets);
  return {
    isPublic: read<boolean>(AUTH_METADATA.public) === true,
    // The metrics controller comes from @willsoto/nestjs-prometheus, so it cannot carry our decorators.
    isMetrics: context.getClass() === PrometheusController,
    roles: read<UserRole[]>(AUTH_METADATA.roles),
    sessionParam: read<string>(AUTH_METADATA.sessionParam),
    missingSessionAllowed: read<boolean>(AUTH_METADATA.missingSessionAllowed) === true,
    userParam: read<string>(AUTH_METADATA.userParam),
    acceptsSessionToken: read<boolean>(AUTH_METADATA.acceptsSessionToken) === true,
    readOnlySafe: read<boolean>(AUTH_METADATA.readOnlySafe) === true,
    acceptsTicket: read<boolean>(AUTH_METADATA.acceptsTicket) === true,
    filtersToTokenSession: read<boolean>(AUTH_METADATA.filtersToTokenSession) === true,
  };
}
