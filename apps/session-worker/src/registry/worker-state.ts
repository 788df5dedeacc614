import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { WORKER_STATES, type WorkerState } from '@app/contracts';
import { METRICS } from '@app/observability';
import { WorkerIdentity } from './worker-identity';

/**
 * This worker's part in placement (see WORKER_STATES): `active` until an admin drains it
 * (`draining`, undone by uncordon) or it is told to stop (`leaving`, for good).
 */
@Injectable()
export class WorkerStateService {
  private state: WorkerState = 'active';

  constructor(
    private readonly identity: WorkerIdentity,
    @InjectMetric(METRICS.workerState.name) private readonly gauge: Gauge<string>,
  ) {
    this.show();
  }

  get current(): WorkerState {
    return this.state;
  }

  get active(): boolean {
    return this.state === 'active';
  }

  /** Takes no new sessions and hands its own to the others; false when leaving already. */
  cordon(): boolean {
    return this.change('active', 'draining') || this.state === 'draining';
  }

  /** Takes sessions again after a drain; false when leaving. */
  uncordon(): boolean {
    return this.change('draining', 'active') || this.state === 'active';
  }

  leave(): void {
    this.state = 'leaving';
    this.show();
  }

  private change(from: WorkerState, to: WorkerState): boolean {
    if (this.state !== from) return false;
    this.state = to;
    this.show();
    return true;
  }

  private show(): void {
    for (const state of WORKER_STATES) this.gauge.set({ worker: this.identity.id, state }, state === this.state ? 1 : 0);
  }
}
