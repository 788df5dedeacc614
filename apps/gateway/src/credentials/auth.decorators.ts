import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { UserRole } from '@app/contracts';
import type { SessionRecord } from '@app/db';
import type { AuthenticatedRequest } from './authenticated-request';
import type { Principal } from './principal';

export const AUTH_METADATA = {
  public: 'auth:public',
  roles: 'auth:roles',
  sessionParam: 'auth:session-param',
  missingSessionAllowed: 'auth:missing-session-allowed',
  userParam: 'auth:user-param',
  acceptsSessionToken: 'auth:accepts-session-token',
  readOnlySafe: 'auth:read-only-safe',
  acceptsTicket: 'auth:accepts-ticket',
  filtersToTokenSession: 'auth:filters-to-token-session',
} as const;

/**
 * Each rule also appears on its operations in the OpenAPI document (`/docs-json`), so clients and
 * the route isolation test read every route's rules from the same place the guards do.
 */
export const AUTH_EXTENSIONS = {
  public: 'x-public',
  roles: 'x-required-roles',
  sessionParam: 'x-session-param',
  userParam: 'x-user-param',
  acceptsSessionToken: 'x-accepts-session-token',
  readOnlySafe: 'x-read-only-safe',
  acceptsTicket: 'x-accepts-ticket',
} as const;

/**
 * No credential needed (health, login). Every other route requires one: default deny. Documented
 * as an operation whose only security requirement is the empty one (anonymous).
 */
export const Public = () => applyDecorators(SetMetadata(AUTH_METADATA.public, true), ApiSecurity({}), ApiExtension(AUTH_EXTENSIONS.public, true));

/** Only these roles may call the route; anyone else gets 403 FORBIDDEN. */
export const Roles = (...roles: UserRole[]) => applyDecorators(SetMetadata(AUTH_METADATA.roles, roles), ApiExtension(AUTH_EXTENSIONS.roles, roles));

/**
 * The route acts on the session named by this route parameter: only its owner or an admin may
 * call it; for anyone else it does not exist (404 SESSION_NOT_FOUND). An id outside the session
 * id pattern is a 400. `allowMissing` lets a session that does not exist at all through, for
 * idempotent routes that answer it themselves (DELETE: `deleted: false`, seed 003).
 */
export const SessionScoped = (param = 'id', options: { allowMissing?: boolean } = {}) =>
  applyDecorators(
    SetMetadata(AUTH_METADATA.sessionParam, param),
    SetMetadata(AUTH_METADATA.missingSessionAllowed, options.allowMissing === true),
    ApiExtension(AUTH_EXTENSIONS.sessionParam, param),
  );

/**
 * The route acts on the user account named by this route parameter: only that user or an admin
 * may call it; for anyone else it does not exist (404 USER_NOT_FOUND).
 */
export const UserScoped = (param = 'id') => applyDecorators(SetMetadata(AUTH_METADATA.userParam, param), ApiExtension(AUTH_EXTENSIONS.userParam, param));

/**
 * A session token bound to the route's session (the `@SessionScoped` parameter) may call it too
 * (send, run the agent), and so may the session's api key (seed 003).
 */
export const AcceptsSessionToken = () =>
  applyDecorators(SetMetadata(AUTH_METADATA.acceptsSessionToken, true), ApiExtension(AUTH_EXTENSIONS.acceptsSessionToken, true));

/**
 * The route also accepts a live-events ticket in the `ticket` query parameter instead of a
 * credential header (a browser's EventSource cannot send headers; see POST /events/tickets).
 */
export const AcceptsTicket = () => applyDecorators(SetMetadata(AUTH_METADATA.acceptsTicket, true), ApiExtension(AUTH_EXTENSIONS.acceptsTicket, true));

/**
 * With @AcceptsSessionToken on a route that names no session: the handler itself confines a
 * session token to its session (the event stream does), so the guard lets the token through.
 */
export const FiltersToTokenSession = () => SetMetadata(AUTH_METADATA.filtersToTokenSession, true);

/** A non-GET route that changes nothing, so readonly users may call it (e.g. a lookup by POST). */
export const ReadOnlySafe = () => applyDecorators(SetMetadata(AUTH_METADATA.readOnlySafe, true), ApiExtension(AUTH_EXTENSIONS.readOnlySafe, true));

/** The authenticated caller (set on the request by the authentication guard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});

/**
 * The route's session as the authorization guard loaded it on a @SessionScoped route, so the
 * handler need not read it again (not for allowMissing routes, where it may not exist).
 */
export const ScopedSession = createParamDecorator((_data: unknown, context: ExecutionContext): SessionRecord => {
  const session = context.switchToHttp().getRequest<AuthenticatedRequest>().scopedSession;
  if (!session) throw new Error('ScopedSession used on a route without an existing scoped session');
  return session;
});
