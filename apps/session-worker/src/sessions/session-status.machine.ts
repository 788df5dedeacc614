import type { PinoLogger } from 'nestjs-pino';
import type { SessionStatus } from '@app/contracts';
import type { StatusChange } from '@app/db';
import type { HeldSession } from './held-session';
import { withStorageRetries } from './reconnect-policy';
import type { RecordOutcome, SessionStatusRecorder } from './session-status.recorder';

/**
 * A held session's status (SPEC §2) as this worker knows it. Transitions are stored (fenced by the
 * ownership epoch, retried through a busy database) and published before they count; one refused
 * as stale means another worker owns the session now, and the caller lets it go.
 */
export class SessionStatusMachine {
  private status: SessionStatus = 'connecting';
  private since = new Date();
  private phone: string | null = null;

  constructor(
    private readonly session: HeldSession,
    private readonly recorder: SessionStatusRecorder,
    private readonly logger: PinoLogger,
  ) {}

  get current(): SessionStatus {
    return this.status;
  }

  get connected(): boolean {
    return this.status === 'connected';
  }

  get linkedPhone(): string | null {
    return this.phone;
  }

  get currentSince(): Date {
    return this.since;
  }

  async transition(change: StatusChange, reason: string | null, traceId?: string): Promise<RecordOutcome> {
    const { sessionId, epoch } = this.session;
    const outcome = await withStorageRetries(() => this.recorder.record(sessionId, epoch, change, reason, traceId));
    if (outcome === 'stale') return outcome;
    if (outcome === 'recorded') this.logger.info({ sessionId, status: change.status, reason, traceId }, 'session status changed');
    this.show(change.status);
    if (change.phone) this.phone = change.phone;
    return outcome;
  }

  /** Shown at once, before it is stored (a QR arrives while the transition waits its turn). */
  show(status: SessionStatus): void {
    if (this.status !== status) this.since = new Date();
    this.status = status;
  }
}
