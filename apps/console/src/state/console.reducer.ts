import type { components, LiveEvent } from '@app/client';
import { isFailure, isLinkable, laterDeliveryStatus, type DeliveryStatus, type SessionStatus } from '../sessions/session-status';

type SessionDto = components['schemas']['SessionDto'];
type SendResultDto = components['schemas']['SendResultDto'];

/** One row of the sessions list: the record, with the status kept current by live events. */
export interface SessionRow {
  id: string;
  name: string;
  ownerId: string;
  status: SessionStatus;
  phone: string | null;
  workerId: string | null;
  lastError: string | null;
  /** When the shown status was reported (ms): older news never overwrites newer. */
  statusAt: number;
}

/** The QR to show while a session waits to be linked, or the pairing code a phone must type. */
interface LinkPrompt {
  kind: 'qr' | 'pairing_code';
  qr: string | null;
  pairingCode: string | null;
  phone: string | null;
  at: string;
}

export interface SentMessage {
  outboundId: string;
  to: string;
  /** What was sent (null for a message this console did not send: only its status was seen). */
  summary: string | null;
  status: DeliveryStatus;
  error: string | null;
  at: string;
}

export interface ReceivedMessage {
  waMessageId: string;
  from: string;
  pushName: string | null;
  kind: string;
  text: string | null;
  sentAt: string;
}

type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface ConsoleState {
  sessions: Record<string, SessionRow>;
  /** The list was loaded at least once (before that, no empty state is shown). */
  sessionsLoaded: boolean;
  prompts: Record<string, LinkPrompt>;
  sent: Record<string, SentMessage[]>;
  received: Record<string, ReceivedMessage[]>;
  stream: StreamState;
}

export type ConsoleAction =
  | { type: 'sessions.loaded'; sessions: SessionDto[] }
  | { type: 'session.loaded'; session: SessionDto }
  | { type: 'session.removed'; sessionId: string }
  | { type: 'prompt.loaded'; sessionId: string; qr: string; at: string }
  | { type: 'message.accepted'; sessionId: string; to: string; summary: string; result: SendResultDto }
  | { type: 'live'; event: LiveEvent }
  | { type: 'stream'; state: StreamState }
  | { type: 'reset' };

/** Most messages kept per session and direction (the newest). */
export const MESSAGES_KEPT = 50;

export const initialConsoleState: ConsoleState = { sessions: {}, sessionsLoaded: false, prompts: {}, sent: {}, received: {}, stream: 'connecting' };

const time = (iso: string | null | undefined): number => (iso ? Date.parse(iso) || 0 : 0);

/** A REST view as a row; its status dates from when the owner says it began. */
function rowFrom(session: SessionDto): SessionRow {
  const live = session.live as { since?: string } | null | undefined;
  return {
    id: session.id,
    name: session.name,
    ownerId: session.ownerId,
    status: session.status,
    phone: session.phone ?? null,
    workerId: session.workerId ?? null,
    lastError: session.lastError ?? null,
    statusAt: time(live?.since) || time(session.updatedAt),
  };
}

/** The REST view, unless the console already heard of a newer status (events can overtake answers). */
function mergeRow(current: SessionRow | undefined, incoming: SessionRow): SessionRow {
  if (!current || incoming.statusAt >= current.statusAt) return incoming;
  return {
    ...incoming,
    status: current.status,
    phone: current.phone ?? incoming.phone,
    workerId: current.workerId,
    lastError: current.lastError,
    statusAt: current.statusAt,
  };
}

const without = <T>(record: Record<string, T>, key: string): Record<string, T> => {
  if (!(key in record)) return record;
  const { [key]: _removed, ...rest } = record;
  return rest;
};

/** A prompt only makes sense while the session can be linked. */
const promptsFor = (prompts: Record<string, LinkPrompt>, sessionId: string, status: SessionStatus) =>
  isLinkable(status) ? prompts : without(prompts, sessionId);

function upsertSent(list: SentMessage[] = [], update: SentMessage): SentMessage[] {
  const existing = list.find((message) => message.outboundId === update.outboundId);
  if (!existing) return [update, ...list].slice(0, MESSAGES_KEPT);
  const status = laterDeliveryStatus(existing.status, update.status);
  const merged: SentMessage = {
    ...existing,
    summary: existing.summary ?? update.summary,
    status,
    error: status === existing.status ? existing.error : update.error,
    at: status === existing.status ? existing.at : update.at,
  };
  return list.map((message) => (message === existing ? merged : message));
}

function applyLiveEvent(state: ConsoleState, event: LiveEvent): ConsoleState {
  switch (event.event) {
    case 'session.status': {
      const data = event.data;
      const at = time(data.at);
      const current = state.sessions[data.sessionId];
      if (current && at < current.statusAt) return state;
      const row: SessionRow = {
        id: data.sessionId,
        name: current?.name ?? data.sessionId,
        ownerId: current?.ownerId ?? data.userId,
        status: data.status,
        phone: data.phone ?? current?.phone ?? null,
        workerId: data.workerId,
        // A failure's reason is what the record keeps as its last error; connecting again clears it.
        lastError: isFailure(data.status) ? (data.reason ?? current?.lastError ?? null) : data.status === 'connected' ? null : (current?.lastError ?? null),
        statusAt: at,
      };
      return { ...state, sessions: { ...state.sessions, [row.id]: row }, prompts: promptsFor(state.prompts, row.id, row.status) };
    }
    case 'session.qr': {
      const { sessionId, kind, qr, pairingCode, phone, at } = event.data;
      const current = state.prompts[sessionId];
      if (current && time(current.at) > time(at)) return state;
      return { ...state, prompts: { ...state.prompts, [sessionId]: { kind, qr, pairingCode, phone, at } } };
    }
    case 'message.status': {
      const { sessionId, outboundId, to, status, error, at } = event.data;
      return { ...state, sent: { ...state.sent, [sessionId]: upsertSent(state.sent[sessionId], { outboundId, to, summary: null, status, error, at }) } };
    }
    case 'message.received': {
      const data = event.data;
      const list = state.received[data.sessionId] ?? [];
      if (list.some((message) => message.waMessageId === data.waMessageId)) return state;
      const message: ReceivedMessage = {
        waMessageId: data.waMessageId,
        from: data.senderPhone ? `+${data.senderPhone}` : data.senderJid,
        pushName: data.pushName,
        kind: data.kind,
        text: data.text,
        sentAt: data.sentAt,
      };
      return { ...state, received: { ...state.received, [data.sessionId]: [message, ...list].slice(0, MESSAGES_KEPT) } };
    }
    default:
      return state;
  }
}

/**
 * Everything the console shows that changes by itself: the sessions (REST views merged with
 * live status), each waiting session's QR or pairing code, and the messages sent and received
 * while the console is open. Pure, so the same events always give the same screen.
 */
export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'sessions.loaded': {
      const sessions: Record<string, SessionRow> = {};
      for (const session of action.sessions) sessions[session.id] = mergeRow(state.sessions[session.id], rowFrom(session));
      return { ...state, sessions, sessionsLoaded: true };
    }
    case 'session.loaded': {
      const row = mergeRow(state.sessions[action.session.id], rowFrom(action.session));
      return { ...state, sessions: { ...state.sessions, [row.id]: row }, prompts: promptsFor(state.prompts, row.id, row.status) };
    }
    case 'session.removed':
      return {
        ...state,
        sessions: without(state.sessions, action.sessionId),
        prompts: without(state.prompts, action.sessionId),
        sent: without(state.sent, action.sessionId),
        received: without(state.received, action.sessionId),
      };
    case 'prompt.loaded': {
      const current = state.prompts[action.sessionId];
      if (current && time(current.at) >= time(action.at)) return state;
      const prompt: LinkPrompt = { kind: 'qr', qr: action.qr, pairingCode: null, phone: null, at: action.at };
      return { ...state, prompts: { ...state.prompts, [action.sessionId]: prompt } };
    }
    case 'message.accepted': {
      const { sessionId, to, summary, result } = action;
      const update: SentMessage = {
        outboundId: result.messageId,
        to,
        summary,
        status: result.status,
        error: result.error ?? null,
        at: new Date().toISOString(),
      };
      return { ...state, sent: { ...state.sent, [sessionId]: upsertSent(state.sent[sessionId], update) } };
    }
    case 'live':
      return applyLiveEvent(state, action.event);
    case 'stream':
      return state.stream === action.state ? state : { ...state, stream: action.state };
    case 'reset':
      return initialConsoleState;
  }
}

/** The sessions as the list shows them: by name, then id. */
export const sortedSessions = (state: ConsoleState): SessionRow[] =>
  Object.values(state.sessions).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
