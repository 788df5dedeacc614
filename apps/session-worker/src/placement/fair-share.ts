import type { WorkerInfo, WorkerState } from '@app/contracts';

/**
 * One worker as placement decisions see it. `load` is what it holds plus the moves under way
 * towards it, minus those under way from it: where it stands once they are done.
 */
export interface WorkerLoad {
  id: string;
  load: number;
  capacity: number;
  state: WorkerState;
}

/** The live workers with this one's current self-description in place of its last heartbeat. */
export function liveWithSelf(live: readonly WorkerInfo[], self: WorkerInfo): WorkerInfo[] {
  return [...live.filter((worker) => worker.id !== self.id), self];
}

/** Registry entries as placement sees them: what each holds, less what it is handing away, plus what is on its way to it. */
export function loadsOf(workers: readonly WorkerInfo[], incoming: ReadonlyMap<string, number> = new Map()): WorkerLoad[] {
  return workers.map((worker) => ({
    id: worker.id,
    load: worker.sessionsHeld - worker.movesInFlight + (incoming.get(worker.id) ?? 0),
    capacity: worker.capacity,
    state: worker.state,
  }));
}

/**
 * Each worker's fair share of `wanted` sessions: as even as capacities allow (a worker with less
 * capacity than the even share is filled, the rest share what is left), 0 for workers that are
 * draining or leaving. Shares are fractional; they add up to the sessions the active workers can
 * hold.
 */
export function fairShares(wanted: number, workers: readonly Omit<WorkerLoad, 'load'>[]): Map<string, number> {
  const shares = new Map<string, number>(workers.map((worker) => [worker.id, 0]));
  const active = workers.filter((worker) => worker.state === 'active').sort((a, b) => a.capacity - b.capacity);
  let left = Math.min(
    wanted,
    active.reduce((sum, worker) => sum + worker.capacity, 0),
  );
  active.forEach((worker, index) => {
    const share = Math.min(worker.capacity, left / (active.length - index));
    shares.set(worker.id, share);
    left -= share;
  });
  return shares;
}

/** How many more sessions that nobody holds this worker should take now: up to its fair share, rounded up. */
export function roomToClaim(selfId: string, workers: readonly WorkerLoad[], wanted: number): number {
  const self = workers.find((worker) => worker.id === selfId);
  if (!self || self.state !== 'active') return 0;
  const share = fairShares(wanted, workers).get(selfId) ?? 0;
  return Math.max(0, Math.min(self.capacity, Math.ceil(share)) - self.load);
}

/** Whether another active worker is less loaded than this one (it should get new sessions first). */
export function someoneLessLoaded(selfId: string, workers: readonly WorkerLoad[]): boolean {
  const self = workers.find((worker) => worker.id === selfId);
  if (!self) return false;
  const selfLoad = self.load / self.capacity;
  return workers.some((worker) => worker.id !== selfId && worker.state === 'active' && worker.load / worker.capacity < selfLoad);
}

export interface MovePlanInput {
  selfId: string;
  workers: readonly WorkerLoad[];
  /** Sessions that want a connection, placed or not. */
  wanted: number;
  /** How far a worker may be from its fair share before sessions move (REBALANCE_TOLERANCE). */
  tolerance: number;
  /** Most moves to plan now. */
  limit: number;
}

/**
 * The workers this one should hand sessions to now, one entry per move, most needy first.
 *
 * An active worker gives only while it is above its own fair share, and either by more than the
 * tolerance or to a receiver below its share by more than the tolerance, and only to a worker at
 * least two sessions less loaded (relative to their shares): a move never makes the receiver the
 * more loaded of the two, so no session is sent back, and loaded workers that plan at once from
 * the same view hand over no more than their own surplus. That ends with every worker within the
 * tolerance (at least one session) of its fair share. A draining or leaving worker gives
 * everything to whoever has room. Nobody receives beyond its capacity.
 */
export function planMoves({ selfId, workers, wanted, tolerance, limit }: MovePlanInput): string[] {
  const self = workers.find((worker) => worker.id === selfId);
  if (!self) return [];
  const shares = fairShares(wanted, workers);
  const loads = new Map(workers.map((worker) => [worker.id, worker.load]));
  const excess = (worker: WorkerLoad) => loads.get(worker.id)! - shares.get(worker.id)!;
  const givingAll = self.state !== 'active';
  const receivers = workers.filter((worker) => worker.id !== selfId && worker.state === 'active');
  const plan: string[] = [];
  while (plan.length < limit && loads.get(selfId)! > 0) {
    const open = receivers.filter((worker) => loads.get(worker.id)! + 1 <= worker.capacity);
    const receiver = open.sort((a, b) => excess(a) - excess(b) || loads.get(a.id)! - loads.get(b.id)! || a.id.localeCompare(b.id))[0];
    if (!receiver) break;
    if (!givingAll) {
      const selfAbove = excess(self) > tolerance;
      const receiverBelow = excess(receiver) < -tolerance;
      if (excess(self) <= 0 || excess(self) - excess(receiver) < 2 || !(selfAbove || receiverBelow)) break;
    }
    plan.push(receiver.id);
    loads.set(selfId, loads.get(selfId)! - 1);
    loads.set(receiver.id, loads.get(receiver.id)! + 1);
  }
  return plan;
}

/** What the giving worker knows of one session it holds, to choose which ones move. */
export interface MoveCandidate {
  sessionId: string;
  connected: boolean;
  /** Nothing in flight and nothing waiting in its outbox drainer. */
  idle: boolean;
  /** When it arrived here by a move (null: claimed, not moved here). */
  arrivedAt: number | null;
}

/**
 * The sessions to move, at most `count`. Rebalancing moves only connected sessions that did not
 * arrive by a move within the cooldown, idle ones first. A drain moves every session: connected
 * idle ones first, then busy ones, then those without a connection.
 */
export function pickSessionsToMove(
  candidates: readonly MoveCandidate[],
  count: number,
  options: { draining: boolean; cooldownMs: number; now: number },
): string[] {
  const rank = (candidate: MoveCandidate) => (candidate.connected ? (candidate.idle ? 0 : 1) : 2);
  const eligible = options.draining
    ? candidates
    : candidates.filter((candidate) => candidate.connected && (candidate.arrivedAt === null || options.now - candidate.arrivedAt >= options.cooldownMs));
  return [...eligible]
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, count)
    .map((candidate) => candidate.sessionId);
}
