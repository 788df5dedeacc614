import type { DeliveryStatus, OutboundContent } from '@app/contracts';

/** Lifecycle of a scheduled message (persisted: never rename). */
export const SCHEDULE_STATUSES = ['pending', 'sent', 'failed', 'cancelled'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

export interface ScheduleRecord {
  id: string;
  sessionId: string;
  toJid: string;
  kind: string;
  content: OutboundContent;
  sendAt: Date;
  /** IANA zone the time was given in (shown back; sendAt is the instant). */
  timezone: string;
  status: ScheduleStatus;
  idempotencyKey: string | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The message in the outbox once the schedule fell due. */
  message: { id: string; waMessageId: string; status: DeliveryStatus } | null;
}

export interface NewSchedule {
  sessionId: string;
  toJid: string;
  content: OutboundContent;
  sendAt: Date;
  timezone: string;
  idempotencyKey?: string | null;
}

export interface ScheduleFilter {
  status?: ScheduleStatus;
  limit: number;
  offset: number;
}

export type CancelScheduleResult =
  | { outcome: 'not-found' }
  | { outcome: 'cancelled'; record: ScheduleRecord }
  /** Sent, failed, or its message is being sent right now: nothing to call back. */
  | { outcome: 'too-late'; record: ScheduleRecord };
