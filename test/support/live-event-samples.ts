import { randomUUID } from 'node:crypto';
import type { InboundMessageEvent, LiveEvent, MessageStatusChangedEvent, SessionStatus } from '@app/contracts';
import { liveEventOf } from '@app/redis';

/**
 * Live events as the producers build them, for gateway tests that publish straight into the
 * stream (the end-to-end tests get theirs from real workers and the scheduler).
 */
export const sampleLiveEvents = {
  status: (sessionId: string, userId: string, status: SessionStatus, previousStatus: SessionStatus | null = null): LiveEvent =>
    liveEventOf.sessionStatus({
      eventId: randomUUID(),
      sessionId,
      userId,
      status,
      previousStatus,
      workerId: 'w-test',
      phone: null,
      reason: null,
      at: new Date().toISOString(),
      traceId: randomUUID(),
    }),

  qr: (sessionId: string, qr = `2@${randomUUID()}`): LiveEvent => liveEventOf.qr(sessionId, qr),

  received: (sessionId: string, text: string): LiveEvent => {
    const event: InboundMessageEvent = {
      sessionId,
      waMessageId: `3EB0${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`,
      chatJid: '6289876543210@s.whatsapp.net',
      isGroup: false,
      senderJid: '6289876543210@s.whatsapp.net',
      senderPhone: '6289876543210',
      pushName: 'Tester',
      kind: 'text',
      text,
      quotedMessageId: null,
      mentions: [],
      mentionsMe: false,
      ownPhone: '6281234567890',
      sentAt: new Date().toISOString(),
      offline: false,
      traceId: randomUUID(),
    };
    return liveEventOf.messageReceived(event);
  },

  receipt: (sessionId: string, outboundId: string, status: MessageStatusChangedEvent['status']): LiveEvent =>
    liveEventOf.messageStatus({
      sessionId,
      outboundId,
      waMessageId: `3EB0${outboundId.slice(0, 8)}`,
      to: '6289876543210@s.whatsapp.net',
      status,
      error: null,
      at: new Date().toISOString(),
    }),

  progress: (sessionId: string, jobId: string, currentIndex: number, total: number): LiveEvent =>
    liveEventOf.jobProgress({
      jobId,
      sessionId,
      status: currentIndex === total ? 'completed' : 'processing',
      total,
      currentIndex,
      successCount: currentIndex,
      errorCount: 0,
      error: null,
      at: new Date().toISOString(),
    }),
};

/**
 * What a read message's `message.status` events may be, in this order: the worker applies the
 * receipts of one event-loop turn together, and Baileys may hand over only the read receipt, so
 * `delivered` is not always its own step; `read` never comes before `sent`, nothing repeats.
 */
export const RECEIPT_SEQUENCES = [
  ['sent', 'delivered', 'read'],
  ['sent', 'read'],
];
