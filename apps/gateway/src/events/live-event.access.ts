import { Injectable } from '@nestjs/common';
import { AppError, LIVE_EVENT_NAMES, LIVE_EVENTS, type LiveEventName } from '@app/contracts';
import { SessionRepository } from '@app/db';
import { canAccessSession, isAdmin, type Principal } from '../credentials/principal';
import type { LiveEventsQueryDto } from './dto/live-events-query.dto';
import type { LiveEventFilter } from './live-event.filter';

/**
 * What a session token may follow: what its REST rights show (delivery status of sends, bulk-job
 * progress). QR values and pairing codes link a phone, and status, inbound messages and history
 * belong to the session's owner.
 */
export const SESSION_TOKEN_EVENTS: readonly LiveEventName[] = [LIVE_EVENTS.messageStatus, LIVE_EVENTS.jobProgress];

const notFound = (sessionId: string) => new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);

/**
 * Tenancy of the event stream: an owner sees the events of their own sessions, an admin every
 * session's, a session token its own session's (SESSION_TOKEN_EVENTS). A requested session the
 * caller may not see does not exist for them (404), as on every session route.
 */
@Injectable()
export class LiveEventAccess {
  constructor(private readonly sessions: SessionRepository) {}

  async filterFor(principal: Principal, query: LiveEventsQueryDto): Promise<LiveEventFilter> {
    const requested = query.event?.length ? query.event : LIVE_EVENT_NAMES;
    const sessionIds = query.sessionId?.length ? new Set(query.sessionId) : null;
    if (principal.via === 'session-token') {
      const own = principal.sessionId!;
      const foreign = [...(sessionIds ?? [])].find((id) => id !== own);
      if (foreign) throw notFound(foreign);
      return {
        allSessions: false,
        userId: principal.userId,
        sessionIds: new Set([own]),
        events: new Set(requested.filter((event) => SESSION_TOKEN_EVENTS.includes(event))),
      };
    }
    if (sessionIds) {
      const owners = await this.sessions.ownersOf([...sessionIds]);
      for (const id of sessionIds) {
        const owner = owners.get(id);
        if (owner === undefined || !canAccessSession(principal, id, owner)) throw notFound(id);
      }
    }
    return { allSessions: isAdmin(principal), userId: principal.userId, sessionIds, events: new Set(requested) };
  }
}
