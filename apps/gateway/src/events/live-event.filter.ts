import type { LiveEventName } from '@app/contracts';
import type { LiveEventFrame } from './live-event.frames';

/** What one client's stream carries: the sessions it may see, narrowed by what it asked for. */
export interface LiveEventFilter {
  /** Every session's events (admins); otherwise only `userId`'s sessions. */
  allSessions: boolean;
  userId: string | null;
  /** Only these sessions (a session token: its own); null = every session it may see. */
  sessionIds: ReadonlySet<string> | null;
  events: ReadonlySet<LiveEventName>;
}

/** Whether this client gets this event; `frame.ownerUserId` is the session's owner at fan-out time. */
export function filterAccepts(filter: LiveEventFilter, frame: Pick<LiveEventFrame, 'event' | 'sessionId' | 'ownerUserId'>): boolean {
  if (!filter.events.has(frame.event)) return false;
  if (filter.sessionIds && !filter.sessionIds.has(frame.sessionId)) return false;
  return filter.allSessions || (frame.ownerUserId !== null && frame.ownerUserId === filter.userId);
}

/** Whether the filter needs the owner of events' sessions (admins' do not). */
export const needsOwners = (filter: LiveEventFilter): boolean => !filter.allSessions;
