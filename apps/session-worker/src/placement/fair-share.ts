import type { WorkerInfo } from '@app/contracts';

/**
 * How many more sessions a worker should take now: its even share of all wanted sessions among
 * the live workers, within its capacity, minus what it holds.
 */
export function roomToClaim(wanted: number, liveWorkers: number, capacity: number, held: number): number {
  const fairShare = Math.ceil(wanted / Math.max(1, liveWorkers));
  return Math.max(0, Math.min(capacity, fairShare) - held);
}

/** Whether another live worker is less loaded than this one (it should get new sessions first). */
export function someoneLessLoaded(selfId: string, selfHeld: number, selfCapacity: number, live: WorkerInfo[]): boolean {
  const selfLoad = selfHeld / selfCapacity;
  return live.some((worker) => worker.id !== selfId && worker.sessionsHeld / worker.capacity < selfLoad);
}
