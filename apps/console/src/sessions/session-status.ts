import type { components } from '@app/client';

export type SessionStatus = components['schemas']['SessionStatusEventDataDto']['status'];
export type DeliveryStatus = components['schemas']['MessageStatusEventDataDto']['status'];

/** How a status looks: its words and the badge colour family (never colour alone: the text says it). */
export type Tone = 'ok' | 'pending' | 'idle' | 'bad';

const SESSION_STATUS: Record<SessionStatus, { label: string; tone: Tone }> = {
  awaiting_qr: { label: 'Waiting for QR scan', tone: 'pending' },
  pairing: { label: 'Pairing', tone: 'pending' },
  connecting: { label: 'Connecting', tone: 'pending' },
  connected: { label: 'Connected', tone: 'ok' },
  disconnected: { label: 'Disconnected', tone: 'idle' },
  logged_out: { label: 'Logged out', tone: 'bad' },
  auth_failed: { label: 'Authentication failed', tone: 'bad' },
  error: { label: 'Error', tone: 'bad' },
};

export const sessionStatusLabel = (status: string): string => SESSION_STATUS[status as SessionStatus]?.label ?? status;
export const sessionStatusTone = (status: string): Tone => SESSION_STATUS[status as SessionStatus]?.tone ?? 'idle';

/** A phone can link the session now (show the QR panel and the pairing-code form). */
export const isLinkable = (status: string): boolean => status === 'awaiting_qr' || status === 'pairing';

/** Statuses that end the link: the session's last error explains them. */
export const isFailure = (status: string): boolean => status === 'logged_out' || status === 'auth_failed' || status === 'error';

/**
 * The order a sent message's status moves in. Receipts may arrive out of order or merged
 * (read without delivered first), so a status never moves back: `read` stays `read`.
 * `failed` and `cancelled` end a message wherever it was.
 */
const DELIVERY_RANK: Record<DeliveryStatus, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4, failed: 5, cancelled: 5 };

const deliveryRank = (status: string): number => DELIVERY_RANK[status as DeliveryStatus] ?? -1;

/** The status to show after `incoming` arrived while `current` was shown. */
export const laterDeliveryStatus = (current: DeliveryStatus, incoming: DeliveryStatus): DeliveryStatus =>
  deliveryRank(incoming) > deliveryRank(current) ? incoming : current;

const DELIVERY: Record<DeliveryStatus, { label: string; tone: Tone }> = {
  queued: { label: 'Queued', tone: 'pending' },
  sending: { label: 'Sending', tone: 'pending' },
  sent: { label: 'Sent', tone: 'idle' },
  delivered: { label: 'Delivered', tone: 'ok' },
  read: { label: 'Read', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'bad' },
};

export const deliveryLabel = (status: string): string => DELIVERY[status as DeliveryStatus]?.label ?? status;
export const deliveryTone = (status: string): Tone => DELIVERY[status as DeliveryStatus]?.tone ?? 'idle';
