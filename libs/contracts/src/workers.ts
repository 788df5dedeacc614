/**
 * A worker's part in placement: `active` takes and receives sessions; `draining` (cordoned by an
 * admin) takes none and hands its sessions to the others; `leaving` (SIGTERM) does the same before
 * it exits. Values cross processes and are shown by GET /workers: never rename.
 */
export const WORKER_STATES = ['active', 'draining', 'leaving'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

/** Worker ids (WORKER_ID, or host name and pid): what the routes addressing one worker accept. */
export const WORKER_ID_PATTERN = /^[a-zA-Z0-9_.-]{1,64}$/;

/** How a session worker describes itself in the registry and over the transport. */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  sessionsHeld: number;
  capacity: number;
  state: WorkerState;
  /** Planned hand-overs this worker has under way as the giving side. */
  movesInFlight: number;
  startedAt: string;
  heartbeatAt: string;
}

/** Why a session was handed from one worker to another (the `reason` of session_moves_total). */
export type MoveReason = 'rebalance' | 'drain' | 'shutdown';

/**
 * "Session S is being handed to worker `to`": written by the giving worker before it stops taking
 * sends for S, so the session goes to the worker chosen for it (the others leave it alone while
 * `to` is live and active) and the receiver can tell how long S took no sends.
 */
export interface SessionReservation {
  to: string;
  from: string;
  reason: MoveReason;
  /** Epoch ms at which the giving worker stopped taking sends for the session. */
  since: number;
}

/** Workers whose heartbeat predates the state field are active (rolling deploys mix versions). */
export function workerInfoOf(stored: Partial<WorkerInfo> & Pick<WorkerInfo, 'id'>): WorkerInfo {
  return {
    host: '',
    pid: 0,
    sessionsHeld: 0,
    capacity: 0,
    startedAt: '',
    heartbeatAt: '',
    ...stored,
    state: stored.state ?? 'active',
    movesInFlight: stored.movesInFlight ?? 0,
  };
}

/** Sessions the active workers can still take: the room left within their capacities. */
export function freeRoomOf(workers: readonly WorkerInfo[]): number {
  return workers.filter((worker) => worker.state === 'active').reduce((room, worker) => room + Math.max(0, worker.capacity - worker.sessionsHeld), 0);
}

/**
 * How many of `waiting` sessions (wanting a connection, held by no worker, reserved for no live
 * worker) cannot be placed now: those beyond the room every active worker has left.
 */
export function unplacedCount(waiting: number, workers: readonly WorkerInfo[]): number {
  return Math.max(0, waiting - freeRoomOf(workers));
}

/** `lastError` prefix of a session that waits because every live worker is full or draining. */
export const UNPLACED_ERROR = 'UNPLACED: every live session worker is full or draining; the session is connected as soon as one has room';
