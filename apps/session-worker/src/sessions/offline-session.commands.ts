import { Injectable } from '@nestjs/common';
import { AuthStateRepository, OutboundMessageRepository, SessionRepository } from '@app/db';
import { AppError, type LiveSessionState } from '@app/contracts';
import { MessageEventsPublisher } from '../outbox/message-events.publisher';
import { WorkerIdentity } from '../registry/worker-identity';
import { SessionStatusRecorder } from './session-status.recorder';

/**
 * Logout and wipe of a session no worker holds (stopped, logged out, failed): nothing to close,
 * so only the stored state changes, recorded and published like any other transition.
 */
@Injectable()
export class OfflineSessionCommands {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly authState: AuthStateRepository,
    private readonly recorder: SessionStatusRecorder,
    private readonly identity: WorkerIdentity,
    private readonly outbox: OutboundMessageRepository,
    private readonly events: MessageEventsPublisher,
  ) {}

  async logout(sessionId: string, traceId: string): Promise<LiveSessionState> {
    return this.forget(sessionId, traceId, { status: 'logged_out', reason: 'logged out by request' });
  }

  async wipe(sessionId: string, traceId: string): Promise<LiveSessionState> {
    return this.forget(sessionId, traceId, { status: 'disconnected', reason: 'wiped by request' });
  }

  private async forget(sessionId: string, traceId: string, outcome: { status: 'logged_out' | 'disconnected'; reason: string }): Promise<LiveSessionState> {
    await this.sessions.setAutoConnect(sessionId, false);
    await this.authState.clear(sessionId);
    const recorded = await this.recorder.record(sessionId, undefined, { status: outcome.status, autoConnect: false, lastError: null }, outcome.reason, traceId);
    if (recorded === 'stale') throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    const error = `session ${outcome.status}: ${outcome.reason}`;
    for (const record of await this.outbox.failPending(sessionId, error)) this.events.publish(record, 'failed', error);
    const now = new Date().toISOString();
    return { sessionId, workerId: this.identity.id, status: outcome.status, connected: false, qr: null, qrUpdatedAt: null, phone: null, since: now };
  }
}
