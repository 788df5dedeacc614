import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database-pool';
import type { OutboxAcceptOutcome, OutboxAcceptRow, OutboxStep, OutboundRecord, ReceiptOutcome, ReceiptUpdate } from './outbound-message.record';
import { fromSqlRow, type SqlRow } from './outbound-message.sql';

/**
 * Accepts a batch in one statement. Each row is fenced by its lease epoch (when given), refused
 * past its session's queue limit (unsent messages, counting earlier rows of the batch), and
 * skipped on any unique conflict (idempotency key, bulk-job item, schedule, WhatsApp id): such a
 * row comes back without a record and the caller looks up the earlier message.
 */
const ACCEPT = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                       $8::text[], $9::text[], $10::int[], $11::text[], $12::text[], $13::bool[], $14::int[])
    WITH ORDINALITY AS i(id, session_id, epoch, wa_message_id, to_jid, kind, content,
                         idempotency_key, job_id, job_index, schedule_id, trace_id, claim, queue_limit, ord)
),
lease AS (SELECT id, lease_epoch FROM sessions WHERE id IN (SELECT session_id FROM input)),
pending AS (
  SELECT session_id, count(*) AS n FROM outbound_messages
  WHERE session_id IN (SELECT session_id FROM input WHERE queue_limit > 0) AND status IN ('queued', 'sending')
  GROUP BY session_id
),
ranked AS (
  SELECT i.*, (l.id IS NOT NULL AND (i.epoch IS NULL OR l.lease_epoch = i.epoch)) AS current,
         coalesce(p.n, 0) + row_number() OVER (PARTITION BY i.session_id ORDER BY i.ord) - 1 AS pending_before
  FROM input i LEFT JOIN lease l ON l.id = i.session_id LEFT JOIN pending p ON p.session_id = i.session_id
),
inserted AS (
  INSERT INTO outbound_messages (id, session_id, wa_message_id, to_jid, kind, content, status, attempts,
                                 idempotency_key, job_id, job_index, schedule_id, trace_id, updated_at)
  SELECT id, session_id, wa_message_id, to_jid, kind, content,
         CASE WHEN claim THEN 'sending' ELSE 'queued' END::"DeliveryStatus", CASE WHEN claim THEN 1 ELSE 0 END,
         idempotency_key, job_id, job_index, schedule_id, trace_id, now()
  FROM ranked WHERE current AND (queue_limit = 0 OR pending_before < queue_limit)
  ORDER BY ord
  ON CONFLICT DO NOTHING
  RETURNING *
)
SELECT r.ord, r.current, (r.queue_limit > 0 AND r.pending_before >= r.queue_limit) AS full, r.pending_before, n.*
FROM ranked r LEFT JOIN inserted n ON n.id = r.id
ORDER BY r.ord`;

/** The earlier message a skipped row conflicted with. */
const FIND_SAME = `
SELECT * FROM outbound_messages
WHERE session_id = $1 AND (wa_message_id = $2 OR idempotency_key = $3 OR (job_id = $4 AND job_index = $5) OR schedule_id = $6)
ORDER BY seq LIMIT 1`;

/** Records sends with the time each was handed to WhatsApp (the history gate judges by it), not the time of the batch. */
const MARK_SENT = `
UPDATE outbound_messages o SET status = 'sent', sent_at = s.sent_at, error = NULL, retry_at = NULL, updated_at = now()
FROM unnest($1::text[], $2::timestamptz[]) AS s(id, sent_at)
WHERE o.id = s.id AND o.status = 'sending'`;

/**
 * Receipts move a message forward only (sending/sent → delivered → read); a batch may hold both
 * receipts of one message. The row lock of `before` keeps the reported transitions exact.
 */
const APPLY_RECEIPTS = `
WITH r AS (
  SELECT session_id, wa_message_id, bool_or(status = 'delivered') AS delivered, bool_or(status = 'read') AS read
  FROM unnest($1::text[], $2::text[], $3::text[]) AS u(session_id, wa_message_id, status)
  GROUP BY session_id, wa_message_id
),
before AS (
  SELECT o.id, o.status AS was, r.delivered, r.read
  FROM outbound_messages o JOIN r ON o.session_id = r.session_id AND o.wa_message_id = r.wa_message_id
  WHERE o.status IN ('sending', 'sent') OR (o.status = 'delivered' AND r.read)
  FOR UPDATE OF o
)
UPDATE outbound_messages o SET
  status = CASE WHEN b.read THEN 'read' ELSE 'delivered' END::"DeliveryStatus",
  sent_at = coalesce(o.sent_at, now()),
  delivered_at = CASE WHEN b.delivered AND b.was <> 'delivered' THEN now() ELSE o.delivered_at END,
  read_at = CASE WHEN b.read THEN now() ELSE o.read_at END,
  updated_at = now()
FROM before b WHERE o.id = b.id
RETURNING o.*, b.was, b.delivered, b.read`;

/**
 * One step of a drainer: the session's next message due (acceptance order, skipping ones waiting
 * for a retry and the ones the drainer already holds), claimed for the holder of lease `epoch`
 * when `claim` is set. Nothing is claimed unless the epoch is still current.
 */
const ADVANCE = (claim: boolean) => `
WITH lease AS MATERIALIZED (SELECT lease_epoch = $2 AS current FROM sessions WHERE id = $1),
due AS (
  SELECT id FROM outbound_messages
  WHERE session_id = $1 AND status IN ('queued', 'sending') AND (retry_at IS NULL OR retry_at <= now())
    AND NOT (id = ANY($3::text[])) AND (SELECT current FROM lease)
  ORDER BY seq LIMIT 1 ${claim ? 'FOR UPDATE' : ''}),
next AS (${
  claim
    ? `UPDATE outbound_messages SET status = 'sending', attempts = attempts + 1, updated_at = now()
       WHERE id = (SELECT id FROM due) AND status IN ('queued', 'sending') RETURNING *`
    : `SELECT * FROM outbound_messages WHERE id = (SELECT id FROM due)`
})
SELECT (SELECT current FROM lease) AS lease_current, next.*,
  CASE WHEN next.id IS NULL THEN (
    SELECT min(retry_at) FROM outbound_messages WHERE session_id = $1 AND status = 'queued' AND retry_at IS NOT NULL
  ) END AS next_retry_at
FROM (SELECT 1) AS one LEFT JOIN next ON true`;

/** Claims one message for the holder of lease `epoch`: false when settled meanwhile or the epoch is stale. */
const CLAIM = `
UPDATE outbound_messages o SET status = 'sending', attempts = attempts + 1, updated_at = now()
FROM sessions s
WHERE o.id = $1 AND o.status IN ('queued', 'sending') AND s.id = o.session_id AND s.lease_epoch = $2
RETURNING o.id`;

const HOLDS_EPOCH = `SELECT 1 FROM sessions WHERE id = $1 AND lease_epoch = $2`;

/** Sessions among `$1` with messages waiting to be sent. */
const WITH_PENDING = `
SELECT DISTINCT session_id FROM outbound_messages WHERE session_id = ANY($1::text[]) AND status IN ('queued', 'sending')`;

type AcceptRow = SqlRow & { ord: string; current: boolean; full: boolean; pending_before: string };
type ReceiptRow = SqlRow & { was: string; delivered: boolean; read: boolean };

/**
 * The send path's statements on `pg` directly (prepared once per connection): accepting messages,
 * recording sends and receipts in batches, and the drainer's step. Everything else about the
 * outbox goes through OutboundMessageRepository.
 */
@Injectable()
export class OutboxSendRepository {
  constructor(private readonly db: DatabasePool) {}

  async accept(rows: OutboxAcceptRow[]): Promise<OutboxAcceptOutcome[]> {
    if (rows.length === 0) return [];
    const column = <T>(pick: (row: OutboxAcceptRow) => T) => rows.map(pick);
    const result = await this.db.run<AcceptRow>('outbox_accept', ACCEPT, [
      column((row) => row.id),
      column((row) => row.sessionId),
      column((row) => row.epoch),
      column((row) => row.waMessageId),
      column((row) => row.toJid),
      column((row) => row.content.kind),
      column((row) => JSON.stringify(row.content)),
      column((row) => row.idempotencyKey ?? null),
      column((row) => row.jobId ?? null),
      column((row) => row.jobIndex ?? null),
      column((row) => row.scheduleId ?? null),
      column((row) => row.traceId),
      column((row) => row.claim),
      column((row) => row.queueLimit),
    ]);
    return Promise.all(
      result.map(async (row, index): Promise<OutboxAcceptOutcome> => {
        if (!row.current) return { outcome: 'stale' };
        if (row.full) return { outcome: 'queue-full', pending: Number(row.pending_before) };
        if (row.id) return { outcome: 'created', record: fromSqlRow(row) };
        const earlier = await this.findSame(rows[index]);
        // Gone between the two statements (a cancel removed nothing, but a session delete cascades).
        return earlier ? { outcome: 'duplicate', record: earlier } : { outcome: 'stale' };
      }),
    );
  }

  async markSent(sends: Array<{ id: string; sentAt: Date }>): Promise<void> {
    if (sends.length > 0) await this.db.run('outbox_mark_sent', MARK_SENT, [sends.map((sent) => sent.id), sends.map((sent) => sent.sentAt)]);
  }

  async applyReceipts(receipts: ReceiptUpdate[]): Promise<ReceiptOutcome[]> {
    if (receipts.length === 0) return [];
    const rows = await this.db.run<ReceiptRow>('outbox_apply_receipts', APPLY_RECEIPTS, [
      receipts.map((receipt) => receipt.sessionId),
      receipts.map((receipt) => receipt.waMessageId),
      receipts.map((receipt) => receipt.status),
    ]);
    return rows.map((row) => {
      const reached: ReceiptOutcome['reached'] = [];
      if (row.delivered && row.was !== 'delivered') reached.push('delivered');
      if (row.read) reached.push('read');
      return { record: fromSqlRow(row), reached };
    });
  }

  /** The session's next message due, leaving out `holding` (messages the drainer already has). */
  async advance(sessionId: string, epoch: number, holding: string[], claim: boolean): Promise<OutboxStep> {
    const [row] = await this.db.run<SqlRow & { lease_current: boolean | null; next_retry_at: Date | null }>(
      claim ? 'outbox_advance_claim' : 'outbox_advance_peek',
      ADVANCE(claim),
      [sessionId, epoch, holding],
    );
    return {
      leaseCurrent: row?.lease_current === true,
      next: row?.id ? fromSqlRow(row) : null,
      nextRetryAt: row?.next_retry_at ?? null,
    };
  }

  /** Claims a message for the holder of `epoch`: 'settled' when it was settled meanwhile, 'stale' when the epoch is. */
  async claim(id: string, sessionId: string, epoch: number): Promise<'claimed' | 'settled' | 'stale'> {
    if ((await this.db.run('outbox_claim', CLAIM, [id, epoch])).length === 1) return 'claimed';
    return (await this.db.run('outbox_holds_epoch', HOLDS_EPOCH, [sessionId, epoch])).length === 1 ? 'settled' : 'stale';
  }

  /** Sessions among `sessionIds` with messages waiting, for a worker checking the outboxes it holds. */
  async sessionsWithPending(sessionIds: string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    return (await this.db.run<{ session_id: string }>('outbox_with_pending', WITH_PENDING, [sessionIds])).map((row) => row.session_id);
  }

  private async findSame(row: OutboxAcceptRow): Promise<OutboundRecord | null> {
    const [found] = await this.db.run<SqlRow>('outbox_find_same', FIND_SAME, [
      row.sessionId,
      row.waMessageId,
      row.idempotencyKey ?? null,
      row.jobId ?? null,
      row.jobIndex ?? null,
      row.scheduleId ?? null,
    ]);
    return found ? fromSqlRow(found) : null;
  }
}
