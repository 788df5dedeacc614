import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import { SessionRepository } from '@app/db';
import { SessionMovesRepository, WorkerRegistryRepository } from '@app/redis';
import { WorkerHeartbeatService } from '../registry/worker-heartbeat.service';
import { WorkerIdentity } from '../registry/worker-identity';
import { WorkerStateService } from '../registry/worker-state';
import { SessionSupervisor } from '../sessions/session-supervisor.service';
import { liveWithSelf, loadsOf, pickSessionsToMove, planMoves } from './fair-share';
import { SessionClaimer } from './session-claimer.service';
import { SessionMover } from './session-mover.service';
import { waitUntil } from './wait-until';

/**
 * Hands sessions to other workers as planned moves: while this worker is active, those above its
 * fair share (a worker joined or freed capacity; see planMoves for the rule that keeps sessions
 * from going back and forth); while it is draining, all of them. Every worker runs this for its
 * own sessions, on a timer and when woken. Moves start at the cluster's pace (a token bucket in
 * Redis shared by every worker, REBALANCE_MOVES_PER_SECOND), idle sessions first, and never while
 * sessions wait for a worker (placing those comes first).
 */
@Injectable()
export class Rebalancer {
  private timer?: NodeJS.Timeout;
  private resumeTimer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly supervisor: SessionSupervisor,
    private readonly mover: SessionMover,
    private readonly claimer: SessionClaimer,
    private readonly registry: WorkerRegistryRepository,
    private readonly moves: SessionMovesRepository,
    private readonly sessions: SessionRepository,
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly state: WorkerStateService,
    private readonly identity: WorkerIdentity,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(Rebalancer.name);
  }

  start(): void {
    this.started = true;
    this.timer = setInterval(() => this.runSoon(), this.config.REBALANCE_INTERVAL_MS);
    this.runSoon();
  }

  /** No new moves from now on; resolves once the planning under way ended (its moves go on). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.resumeTimer);
    await this.running;
  }

  runSoon(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.rebalance()
      .catch((error: Error) => this.logger.warn({ err: error }, 'rebalancing failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.runSoon();
        }
      });
  }

  /**
   * Shutdown: hands every session to the workers with room at once (no pacing: the grace period
   * bounds it), the rest let go for whoever gets room; resolves when every move, those started
   * earlier included, is done.
   */
  async handOverAll(): Promise<number> {
    const sessionIds = pickSessionsToMove(this.supervisor.moveCandidates(), Infinity, { draining: true, cooldownMs: 0, now: Date.now() });
    const receivers = await this.plan(sessionIds.length).catch((error: Error) => {
      this.logger.warn({ err: error }, 'no receivers found for the hand-over; every session is let go for whoever has room');
      return [];
    });
    const moved = await Promise.all(sessionIds.map((sessionId, index) => this.mover.handOver(sessionId, receivers[index] ?? null, 'shutdown')));
    await waitUntil(() => this.supervisor.movesInFlight === 0, this.config.MOVE_QUIESCE_TIMEOUT_MS + 5_000);
    return moved.filter(Boolean).length;
  }

  private get movesAtOnce(): number {
    return Math.max(1, Math.ceil(this.config.REBALANCE_MOVES_PER_SECOND));
  }

  private async rebalance(): Promise<void> {
    const state = this.state.current;
    if (state === 'leaving') return;
    const draining = state === 'draining';
    if (!draining && this.claimer.waitingForPlacement > 0) return;
    const slots = this.movesAtOnce - this.supervisor.movesInFlight;
    if (slots <= 0 || this.supervisor.count - this.supervisor.movesInFlight <= 0) return;
    const receivers = await this.plan(slots);
    if (receivers.length === 0) return;
    const sessionIds = pickSessionsToMove(this.supervisor.moveCandidates(), receivers.length, {
      draining,
      cooldownMs: this.config.REBALANCE_COOLDOWN_MS,
      now: Date.now(),
    });
    for (const [index, sessionId] of sessionIds.entries()) {
      const waitMs = await this.moves.takeMoveToken(this.config.REBALANCE_MOVES_PER_SECOND);
      if (waitMs > 0) return this.resumeIn(waitMs);
      if (this.stopped || this.state.current !== state) return;
      void this.mover
        .handOver(sessionId, receivers[index], draining ? 'drain' : 'rebalance')
        .catch((error: Error) => this.logger.warn({ err: error, sessionId }, 'move failed'))
        .finally(() => this.runSoon());
    }
  }

  /** The receiver of each of up to `limit` moves from this worker, as things stand now. */
  private async plan(limit: number): Promise<string[]> {
    const [live, wanted] = await Promise.all([this.registry.listLive(), this.sessions.countWantingConnection()]);
    const workers = liveWithSelf(live, this.heartbeat.describe());
    const incoming = await this.moves.incomingCounts(workers.map((worker) => worker.id));
    return planMoves({ selfId: this.identity.id, workers: loadsOf(workers, incoming), wanted, tolerance: this.config.REBALANCE_TOLERANCE, limit });
  }

  private resumeIn(ms: number): void {
    clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(() => this.runSoon(), ms);
  }
}
