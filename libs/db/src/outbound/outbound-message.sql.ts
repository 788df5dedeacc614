import type { DeliveryStatus, OutboundContent } from '@app/contracts';
import type { OutboundRecord } from './outbound-message.record';

/** An outbound_messages row as raw SQL returns it (RETURNING *), for the statements Prisma cannot express. */
export interface SqlRow {
  id: string;
  session_id: string;
  wa_message_id: string;
  to_jid: string;
  kind: string;
  content: unknown;
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
  retry_at: Date | null;
  idempotency_key: string | null;
  job_id: string | null;
  job_index: number | null;
  schedule_id: string | null;
  trace_id: string | null;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
}

export const fromSqlRow = (row: SqlRow): OutboundRecord => ({
  id: row.id,
  sessionId: row.session_id,
  waMessageId: row.wa_message_id,
  toJid: row.to_jid,
  kind: row.kind,
  content: row.content as OutboundContent,
  status: row.status,
  attempts: row.attempts,
  error: row.error,
  retryAt: row.retry_at,
  idempotencyKey: row.idempotency_key,
  jobId: row.job_id,
  jobIndex: row.job_index,
  scheduleId: row.schedule_id,
  traceId: row.trace_id,
  createdAt: row.created_at,
  sentAt: row.sent_at,
  deliveredAt: row.delivered_at,
  readAt: row.read_at,
});
