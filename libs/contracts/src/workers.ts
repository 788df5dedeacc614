/** How a session worker describes itself in the registry and over the transport. */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  sessionsHeld: number;
  capacity: number;
  startedAt: string;
  heartbeatAt: string;
}
