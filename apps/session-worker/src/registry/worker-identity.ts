import { hostname } from 'node:os';
import type { SessionWorkerConfig } from '@app/config';

/** Who this replica is: fixed for the life of the process. */
export class WorkerIdentity {
  constructor(
    readonly id: string,
    readonly host: string,
    readonly pid: number,
    readonly startedAt: Date,
  ) {}

  static fromConfig(config: SessionWorkerConfig): WorkerIdentity {
    const host = hostname();
    return new WorkerIdentity(config.WORKER_ID ?? `${host}-${process.pid}`, host, process.pid, new Date());
  }
}
