/**
 * Worker routes the console offers when the API has them. Drain and uncordon come with the
 * scale-out work; the console is built from the committed openapi.json, so it shows a button for
 * each of these that the document has, and says where they will appear when it has none.
 */
export interface WorkerAction {
  /** The last path segment: POST /workers/{id}/<name>. */
  name: string;
  label: string;
  /** What the button does, for the confirmation and screen readers. */
  description: string;
  /** Ask before doing it. */
  confirm: boolean;
}

const KNOWN_WORKER_ACTIONS: readonly WorkerAction[] = [
  { name: 'drain', label: 'Drain', description: 'The worker takes no new sessions and hands its own to the other workers.', confirm: true },
  { name: 'uncordon', label: 'Uncordon', description: 'The worker takes sessions again.', confirm: false },
];

/** The known worker actions whose `POST /workers/{id}/<name>` route the OpenAPI document lists. */
export function optionalWorkerActions(paths: Record<string, Record<string, unknown>>): WorkerAction[] {
  return KNOWN_WORKER_ACTIONS.filter((action) => paths[`/workers/{id}/${action.name}`]?.post !== undefined);
}

/** What a worker answer says about its state: `state` (active, draining, leaving) once the API reports it. */
export interface WorkerStateFields {
  reachable: boolean;
  state?: string;
}

/** A worker's state in words: unreachable first, else its reported state, else active. */
export function workerStateLabel(worker: WorkerStateFields): { label: string; tone: 'ok' | 'pending' | 'bad' } {
  if (!worker.reachable) return { label: 'Unreachable', tone: 'bad' };
  if (!worker.state || worker.state === 'active') return { label: 'Active', tone: 'ok' };
  return { label: worker.state.charAt(0).toUpperCase() + worker.state.slice(1), tone: 'pending' };
}
