import type { ChatHistoryPage, ChatHistoryRequest } from './chat-history';
import type { DeliveryState } from './delivery';
import type { OutboundContent } from './outbound-content';
import type { GroupCreateRequest, GroupInfo, GroupInviteRequest, GroupParticipantsRequest, GroupRequest, ParticipantResult } from './groups';
import type { LiveSessionState, PairingCodeState, QrState } from './session-live-state';
import type { WorkerInfo } from './workers';

/**
 * Commands the gateway sends to one addressed session worker over the NestJS Redis transport.
 * Patterns are wire names: never rename (old and new processes run side by side during deploys).
 */
export const WORKER_COMMANDS = {
  describe: 'worker.describe',
  /** Cordon the worker and hand all of its sessions to the others (it stays up, holding none). */
  drain: 'worker.drain',
  /** Undo a drain: the worker takes sessions again. */
  uncordon: 'worker.uncordon',
  sessionState: 'session.state',
  sessionAwaitQr: 'session.await-qr',
  sessionReconnect: 'session.reconnect',
  sessionLogout: 'session.logout',
  sessionWipe: 'session.wipe',
  sessionPairingCode: 'session.pairing-code',
  sessionRelease: 'session.release',
  sessionDeliver: 'session.deliver',
  sessionSend: 'session.send',
  sessionPresence: 'session.presence',
  groupList: 'group.list',
  groupCreate: 'group.create',
  groupInfo: 'group.info',
  groupParticipants: 'group.participants',
  groupInvite: 'group.invite',
  chatHistory: 'session.chat-history',
} as const;

/** Every command carries the traceId of the request that caused it, so worker logs join up. */
export interface TracedRequest {
  traceId: string;
}

export interface SessionRequest extends TracedRequest {
  sessionId: string;
}

export interface AwaitQrRequest extends SessionRequest {
  timeoutMs: number;
}

export interface PairingCodeRequest extends SessionRequest {
  /** Digits only, with country code. */
  phone: string;
}

/**
 * Asks the session's owner to send what its outbox holds and to answer when this message is
 * settled or `waitMs` passed (then with its status so far: the outbox keeps going regardless).
 */
export interface DeliverRequest extends SessionRequest {
  outboundId: string;
  waitMs: number;
}

/**
 * A message to send, as every producer (send routes, bulk jobs, schedules, AI replies) hands it
 * over. Its WhatsApp id is fixed here, so every attempt and every owner sends the same message.
 * Idempotency key, bulk-job item and schedule each identify it: a second message with one of them
 * is not accepted again, the first one is answered instead.
 */
export interface OutboundDraft {
  waMessageId: string;
  toJid: string;
  content: OutboundContent;
  idempotencyKey?: string | null;
  jobId?: string | null;
  jobIndex?: number | null;
  scheduleId?: string | null;
  traceId: string;
}

/**
 * Asks the session's owner to accept a message into its outbox (durable once answered) and to
 * answer once it is settled or `waitMs` passed, whichever comes first.
 */
export interface SendRequest extends SessionRequest {
  message: OutboundDraft;
  waitMs: number;
}

/** Where the accepted message stands; `created` is false when an identical earlier one was found. */
export interface SendAcceptance extends DeliveryState {
  created: boolean;
}

/** Chat states a session can show in a chat: "typing…" and its end. */
export type ChatPresence = 'composing' | 'paused';

/** Shows or clears the typing indicator in one chat of a connected session (seed 003). */
export interface PresenceRequest extends SessionRequest {
  chatJid: string;
  state: ChatPresence;
}

/** Request and response type of each command, so both sides are checked against one shape. */
export interface WorkerCommandTypes {
  [WORKER_COMMANDS.describe]: { request: TracedRequest; response: WorkerInfo };
  [WORKER_COMMANDS.drain]: { request: TracedRequest; response: WorkerInfo };
  [WORKER_COMMANDS.uncordon]: { request: TracedRequest; response: WorkerInfo };
  [WORKER_COMMANDS.sessionState]: { request: SessionRequest; response: LiveSessionState };
  [WORKER_COMMANDS.sessionAwaitQr]: { request: AwaitQrRequest; response: QrState };
  [WORKER_COMMANDS.sessionReconnect]: { request: SessionRequest; response: LiveSessionState };
  [WORKER_COMMANDS.sessionLogout]: { request: SessionRequest; response: LiveSessionState };
  [WORKER_COMMANDS.sessionWipe]: { request: SessionRequest; response: LiveSessionState };
  [WORKER_COMMANDS.sessionPairingCode]: { request: PairingCodeRequest; response: PairingCodeState };
  [WORKER_COMMANDS.sessionRelease]: { request: SessionRequest; response: { released: boolean } };
  [WORKER_COMMANDS.sessionDeliver]: { request: DeliverRequest; response: DeliveryState };
  [WORKER_COMMANDS.sessionSend]: { request: SendRequest; response: SendAcceptance };
  [WORKER_COMMANDS.sessionPresence]: { request: PresenceRequest; response: { sent: boolean } };
  [WORKER_COMMANDS.groupList]: { request: SessionRequest; response: { groups: GroupInfo[] } };
  [WORKER_COMMANDS.groupCreate]: { request: GroupCreateRequest; response: GroupInfo };
  [WORKER_COMMANDS.groupInfo]: { request: GroupRequest; response: GroupInfo };
  [WORKER_COMMANDS.groupParticipants]: { request: GroupParticipantsRequest; response: { results: ParticipantResult[] } };
  [WORKER_COMMANDS.groupInvite]: { request: GroupInviteRequest; response: { code: string } };
  [WORKER_COMMANDS.chatHistory]: { request: ChatHistoryRequest; response: ChatHistoryPage };
}

export type WorkerCommand = keyof WorkerCommandTypes;
export type WorkerRequest<C extends WorkerCommand> = WorkerCommandTypes[C]['request'];
export type WorkerResponse<C extends WorkerCommand> = WorkerCommandTypes[C]['response'];

/**
 * Transport channels are prefixed with the installation and the worker id, so a command reaches
 * exactly one worker (Redis pub/sub would otherwise deliver it to every replica) and installations
 * sharing one Redis never hear each other (pub/sub ignores the DB index).
 */
export const workerChannelPrefix = (redisPrefix: string, workerId: string): string => `${redisPrefix}:rpc:${workerId}:`;
