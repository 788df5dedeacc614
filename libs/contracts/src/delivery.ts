/** Lifecycle of an accepted send (persisted: never rename). */
export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Statuses after which the message has left this gateway. */
export const HANDED_OVER: readonly DeliveryStatus[] = ['sent', 'delivered', 'read'];
/** Statuses that will not change any more except through receipts. */
export const SETTLED: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed', 'cancelled'];

/** Where one accepted message stands. */
export interface DeliveryState {
  outboundId: string;
  waMessageId: string;
  status: DeliveryStatus;
  error: string | null;
  attempts: number;
}
