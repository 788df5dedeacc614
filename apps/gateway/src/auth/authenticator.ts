import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { GatewayConfig } from '@app/config';
import { AppError, type UserRole } from '@app/contracts';
import { SessionRepository, type UserRecord } from '@app/db';
import { EventTicketStore } from '../events/event-ticket.store';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { SessionApiKeyVerifier } from '../session-tokens/session-api-key.verifier';
import { SessionTokensService } from '../session-tokens/session-tokens.service';
import { UsersService } from '../users/users.service';
import { API_KEY_HEADER, bearerToken, headerValue } from '../credentials/credential-headers';
import type { Principal } from '../credentials/principal';
import type { RouteAuthRules } from '../credentials/route-auth-rules';
import { looksLike, secretsEqual } from '../credentials/secret-tokens';
import { AccessTokenService } from './access-token.service';

const unauthorized = (message: string) => new AppError('UNAUTHORIZED', message);

/** A session credential acts with at most user rights, and only as far as its owner still may. */
const sessionCredentialRole = (owner: UserRecord): UserRole => (owner.role === 'readonly' ? 'readonly' : 'user');

/**
 * Turns a request's credential into a Principal, or refuses it with 401. Accepted credentials:
 * `x-api-key` (ADMIN_API_KEY or a user's API key), `Authorization: Bearer` with a login JWT, and —
 * only on routes marked @AcceptsSessionToken — a session token or the session's api key (seed 003);
 * on routes marked @AcceptsTicket, a live-events ticket in `?ticket=` when no header is sent.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly config: GatewayConfig,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
    private readonly accessTokens: AccessTokenService,
    private readonly sessionTokens: SessionTokensService,
    private readonly sessionApiKeys: SessionApiKeyVerifier,
    private readonly sessions: SessionRepository,
    private readonly tickets: EventTicketStore,
  ) {}

  async authenticate(request: Request, rules: RouteAuthRules): Promise<Principal> {
    const apiKey = headerValue(request, API_KEY_HEADER);
    if (apiKey !== undefined) return this.fromApiKey(apiKey);
    const bearer = bearerToken(request);
    const ticket = rules.acceptsTicket ? request.query['ticket'] : undefined;
    if (bearer === undefined && typeof ticket === 'string') return this.fromTicket(ticket);
    if (bearer === undefined) {
      throw unauthorized(`Authentication required: send \`Authorization: Bearer <token>\` or \`${API_KEY_HEADER}: <key>\``);
    }
    return this.fromBearer(bearer, request, rules);
  }

  /**
   * GET /metrics: open when METRICS_TOKEN is unset (Prometheus scrapes as before); otherwise the
   * scraper sends it as a Bearer token, or a person uses an admin credential.
   */
  async authenticateMetricsScrape(request: Request, rules: RouteAuthRules): Promise<Principal | undefined> {
    const metricsToken = this.config.METRICS_TOKEN;
    if (!metricsToken) return undefined;
    const bearer = bearerToken(request);
    if (bearer !== undefined && secretsEqual(bearer, metricsToken)) return undefined;
    const principal = await this.authenticate(request, rules);
    if (principal.role !== 'admin') throw new AppError('FORBIDDEN', 'Metrics need METRICS_TOKEN or an admin credential');
    return principal;
  }

  private async fromApiKey(presented: string): Promise<Principal> {
    const adminKey = this.config.ADMIN_API_KEY;
    if (adminKey && secretsEqual(presented, adminKey)) return { via: 'admin-key', userId: null, role: 'admin' };
    const key = await this.apiKeys.authenticate(presented);
    const user = key && (await this.users.findActive(key.userId));
    if (!key || !user) throw unauthorized('Invalid, revoked or expired API key');
    return { via: 'api-key', userId: user.id, role: user.role, credentialId: key.id };
  }

  private async fromBearer(token: string, request: Request, rules: RouteAuthRules): Promise<Principal> {
    const check = await this.accessTokens.check(token);
    if (check.kind === 'expired') throw unauthorized('Token expired: log in again');
    if (check.kind === 'valid') {
      const user = await this.users.findActive(check.userId);
      if (!user) throw unauthorized('The account of this token no longer exists or is disabled');
      return { via: 'jwt', userId: user.id, role: user.role };
    }
    if (rules.acceptsSessionToken) {
      const principal = looksLike('sessionToken', token)
        ? await this.fromSessionToken(token)
        : await this.fromSessionApiKey(token, rules.sessionParam ? request.params[rules.sessionParam] : undefined);
      if (principal) return principal;
    }
    throw unauthorized('Invalid token');
  }

  /** A ticket stands for the caller who asked for it, as long as that account is still active. */
  private async fromTicket(ticket: string): Promise<Principal> {
    const principal = await this.tickets.redeem(ticket);
    if (!principal) throw unauthorized('Invalid, used or expired ticket: get a new one from POST /events/tickets');
    if (principal.userId !== null && !(await this.users.findActive(principal.userId))) {
      throw unauthorized('The account of this ticket no longer exists or is disabled');
    }
    return principal;
  }

  private async fromSessionToken(presented: string): Promise<Principal | null> {
    const token = await this.sessionTokens.authenticate(presented);
    const session = token && (await this.sessions.findById(token.sessionId));
    const owner = session && (await this.users.findActive(session.userId));
    if (!token || !owner) return null;
    return { via: 'session-token', userId: owner.id, role: sessionCredentialRole(owner), sessionId: token.sessionId, credentialId: token.id };
  }

  private async fromSessionApiKey(presented: string, sessionId: string | string[] | undefined): Promise<Principal | null> {
    if (typeof sessionId !== 'string') return null;
    const session = await this.sessionApiKeys.verify(sessionId, presented);
    const owner = session && (await this.users.findActive(session.userId));
    if (!session || !owner) return null;
    return { via: 'session-token', userId: owner.id, role: sessionCredentialRole(owner), sessionId: session.id };
  }
}
