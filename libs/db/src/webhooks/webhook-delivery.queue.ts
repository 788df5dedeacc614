import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

/** A delivery a deliverer holds: only the holder of `claimToken` records its outcome. */
export interface ClaimedDelivery {
  id: string;
  sessionId: string;
  event: string;
  url: string;
  payload: unknown;
  claimToken: string;
}

export interface RetrySchedule {
  /** Pause after the n-th failure in a row (the last one repeats), in units. */
  delays: readonly number[];
  unitMs: number;
  /** A pending delivery older than this, to an endpoint failing for as long, is given up (units). */
  windowUnits: number;
}

export interface FailedAttempt {
  statusCode: number | null;
  error: string;
}

interface ClaimedRow {
  id: string;
  session_id: string;
  event: string;
  url: string;
  payload: unknown;
}

/**
 * The webhook deliveries as a queue, in PostgreSQL so that no event is lost with Redis and any
 * number of agent-runners share the work:
 * - per session, deliveries go out one at a time in the order their events happened (the head of a
 *   session's pending deliveries waits while one of them is in flight);
 * - per endpoint (URL), a failure pauses every delivery to it on the retry schedule; while it is
 *   failing, one delivery at a time probes it, and the first success resumes them all;
 * - a delivery waiting longer than the schedule's window for an endpoint failing that long is
 *   marked failed (an owner can still redeliver it).
 */
@Injectable()
export class WebhookDeliveryQueue {
  constructor(private readonly prisma: PrismaService) {}

  /** Claims up to `limit` deliveries that are due, for `holdMs` (then another deliverer may take them). */
  async claimDue(limit: number, holdMs: number): Promise<ClaimedDelivery[]> {
    const claimToken = randomUUID();
    const rows = await this.prisma.$queryRaw<ClaimedRow[]>`
      WITH heads AS (
        SELECT DISTINCT ON (d.session_id) d.id, d.session_id, d.url, d.claimed_until
        FROM webhook_deliveries d
        WHERE d.status = 'pending'
        ORDER BY d.session_id, d.occurred_at, d.seq
      ), candidates AS (
        SELECT h.id, h.url, COALESCE(e.consecutive_failures, 0) AS failures,
               ROW_NUMBER() OVER (PARTITION BY h.url ORDER BY h.id) AS nth
        FROM heads h
        LEFT JOIN webhook_endpoints e ON e.url = h.url
        WHERE (h.claimed_until IS NULL OR h.claimed_until < now())
          AND (e.paused_until IS NULL OR e.paused_until <= now())
          AND NOT EXISTS (
            SELECT 1 FROM webhook_deliveries busy
            WHERE busy.session_id = h.session_id AND busy.status = 'pending' AND busy.claimed_until >= now())
      ), chosen AS (
        SELECT c.id FROM candidates c
        WHERE c.failures = 0 OR (c.nth = 1 AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries probe
          WHERE probe.url = c.url AND probe.status = 'pending' AND probe.claimed_until >= now()))
        LIMIT ${limit}
      )
      UPDATE webhook_deliveries d
      SET claimed_until = now() + ${holdMs} * interval '1 millisecond', claim_token = ${claimToken}
      FROM chosen
      WHERE d.id = chosen.id AND d.status = 'pending' AND (d.claimed_until IS NULL OR d.claimed_until < now())
      RETURNING d.id, d.session_id, d.event, d.url, d.payload`;
    return rows.map((row) => ({ id: row.id, sessionId: row.session_id, event: row.event, url: row.url, payload: row.payload, claimToken }));
  }

  /** The session's webhook moved since the event was logged: the delivery follows it. */
  async retarget(claim: ClaimedDelivery, url: string): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({ where: { id: claim.id, claimToken: claim.claimToken }, data: { url } });
  }

  /** The endpoint took it: the delivery is done and the endpoint is healthy again. */
  async recordDelivered(claim: ClaimedDelivery, url: string, statusCode: number): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.webhookDelivery.updateMany({
        where: { id: claim.id, claimToken: claim.claimToken },
        data: {
          status: 'delivered',
          attempts: { increment: 1 },
          lastStatusCode: statusCode,
          lastError: null,
          deliveredAt: new Date(),
          nextAttemptAt: null,
          claimedUntil: null,
          claimToken: null,
        },
      }),
      this.prisma.webhookEndpoint.updateMany({
        where: { url, consecutiveFailures: { gt: 0 } },
        data: { consecutiveFailures: 0, failingSince: null, pausedUntil: null, lastError: null },
      }),
    ]);
  }

  /**
   * The endpoint failed: the delivery waits, the endpoint pauses for the schedule's next delay
   * (failures of deliveries that were in flight while it was already paused count once), and
   * deliveries to it that have waited out the whole window are given up. Returns the pause's end.
   */
  async recordFailure(claim: ClaimedDelivery, url: string, attempt: FailedAttempt, schedule: RetrySchedule): Promise<Date> {
    return this.prisma.$transaction(async (tx) => {
      const delays = [...schedule.delays];
      const [endpoint] = await tx.$queryRaw<Array<{ paused_until: Date }>>`
        INSERT INTO webhook_endpoints AS e (url, consecutive_failures, failing_since, paused_until, last_error, updated_at)
        VALUES (${url}, 1, now(), now() + ${delays[0] * schedule.unitMs} * interval '1 millisecond', ${attempt.error}, now())
        ON CONFLICT (url) DO UPDATE SET
          consecutive_failures = CASE WHEN e.paused_until > now() THEN e.consecutive_failures ELSE e.consecutive_failures + 1 END,
          failing_since = COALESCE(e.failing_since, now()),
          paused_until = CASE WHEN e.paused_until > now() THEN e.paused_until
            ELSE now() + (${delays}::int[])[LEAST(e.consecutive_failures + 1, ${delays.length})] * ${schedule.unitMs} * interval '1 millisecond' END,
          last_error = EXCLUDED.last_error,
          updated_at = now()
        RETURNING e.paused_until`;
      const pausedUntil = endpoint.paused_until;
      await tx.webhookDelivery.updateMany({
        where: { id: claim.id, claimToken: claim.claimToken },
        data: {
          attempts: { increment: 1 },
          lastStatusCode: attempt.statusCode,
          lastError: attempt.error,
          nextAttemptAt: pausedUntil,
          claimedUntil: null,
          claimToken: null,
        },
      });
      const windowMs = schedule.windowUnits * schedule.unitMs;
      await tx.$executeRaw`
        UPDATE webhook_deliveries d
        SET status = 'failed', next_attempt_at = NULL, claimed_until = NULL, claim_token = NULL,
            last_error = 'gave up: the endpoint has been failing since ' || to_char(e.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' (' || COALESCE(d.last_error, e.last_error) || ')'
        FROM webhook_endpoints e
        WHERE e.url = ${url} AND d.url = e.url AND d.status = 'pending'
          AND e.failing_since < now() - ${windowMs} * interval '1 millisecond'
          AND d.created_at < now() - ${windowMs} * interval '1 millisecond'
          AND (d.claimed_until IS NULL OR d.claimed_until < now())`;
      return pausedUntil;
    });
  }

  /** It can never be delivered as it is (no webhook any more, a refused destination): failed now, the endpoint untouched. */
  async recordGivenUp(claim: ClaimedDelivery, attempt: FailedAttempt): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({
      where: { id: claim.id, claimToken: claim.claimToken },
      data: {
        status: 'failed',
        attempts: { increment: 1 },
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        nextAttemptAt: null,
        claimedUntil: null,
        claimToken: null,
      },
    });
  }
}
