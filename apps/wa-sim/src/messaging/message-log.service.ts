import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import type { MessageContent } from './message-content';

export type ReceiptType = 'delivery' | 'read';

/** A message a companion sent, as the recipient phone decrypted it. */
export interface SentMessageRecord extends MessageContent {
  /** Unique per record. */
  seq: number;
  /**
   * How often the companion sent this message id to this recipient. A phone keeps one message per
   * sender and id (a resend after a crash is the same message), so a repeat only raises this count.
   */
  transmissions: number;
  messageId: string;
  fromPhoneNumber: string;
  fromDeviceId: number;
  /** The `to` attribute of the stanza (PN or LID JID, or the group JID). */
  to: string;
  /** Empty for group messages. */
  toPhoneNumber: string;
  /** Set for group messages (`…@g.us`). */
  groupJid?: string;
  /** proto.Message as base64, for fields the summary does not cover. */
  rawMessage: string;
  receivedAt: string;
  /**
   * The same moment in epoch ms with sub-ms resolution (`performance.timeOrigin + performance.now()`),
   * comparable with that clock read in another process of this machine (latency benchmarks).
   */
  receivedAtMs: number;
  receipts: Partial<Record<ReceiptType, string>>;
}

export type InboundStatus = 'queued' | 'sent' | 'delivered' | 'read';

/** The first `<enc>` a device got: `pkmsg` opens a session; group messages may carry `skmsg` alone. */
export type EnvelopeKind = 'pkmsg' | 'msg' | 'skmsg';

/** A message a phone sent to an account's companions. */
export interface InboundMessageRecord extends MessageContent {
  messageId: string;
  fromPhoneNumber: string;
  toPhoneNumber: string;
  /** Set for group messages: the account received it as a member of this group. */
  groupJid?: string;
  createdAt: string;
  /** Per companion device id: how far the message got. */
  devices: Record<number, InboundStatus>;
  /** Per companion device id: the Signal envelope it was sent in (`pkmsg` opens a session). */
  envelopes: Record<number, EnvelopeKind>;
}

export interface SentMessageFilter {
  account?: string;
  to?: string;
  messageId?: string;
}

/** How many sent records matched a filter when a wait ended, and the latest of them. */
export interface SentWaitResult {
  count: number;
  reached: boolean;
  last: SentMessageRecord | null;
}

interface SentWaiter {
  filter: SentMessageFilter;
  count: number;
  last: SentMessageRecord | null;
  target: number;
  done(): void;
}

const MAX_RECORDS = 10_000;

const matches = (record: SentMessageRecord, filter: SentMessageFilter): boolean =>
  (!filter.account || record.fromPhoneNumber === filter.account) &&
  (!filter.to || record.toPhoneNumber === filter.to || record.to === filter.to) &&
  (!filter.messageId || record.messageId === filter.messageId);

/** In-memory log of traffic, for the control API and tests. Bounded; not persisted. */
@Injectable()
export class MessageLog {
  private readonly sent: SentMessageRecord[] = [];
  /** The record of each (sender, recipient, message id), to recognise a retransmission. */
  private readonly sentByKey = new Map<string, SentMessageRecord>();
  private readonly inbound = new Map<string, InboundMessageRecord>();
  private seq = 1;
  private readonly sentListeners: ((record: SentMessageRecord) => void)[] = [];
  private readonly sentWaiters = new Set<SentWaiter>();

  /** Called synchronously for every new sent record, e.g. so the media module fetches its blob. */
  onSentRecorded(listener: (record: SentMessageRecord) => void): void {
    this.sentListeners.push(listener);
  }

  /**
   * Logs a decrypted message; a retransmission of a logged one (same sender, recipient and id) is
   * counted on the first record, which is returned with `transmissions` > 1 and notifies no one.
   */
  recordSent(record: Omit<SentMessageRecord, 'seq' | 'receipts' | 'receivedAt' | 'receivedAtMs' | 'transmissions'>): SentMessageRecord {
    const key = `${record.fromPhoneNumber}|${record.to}|${record.messageId}`;
    const logged = this.sentByKey.get(key);
    if (logged) {
      logged.transmissions += 1;
      return logged;
    }
    const receivedAtMs = performance.timeOrigin + performance.now();
    const stored: SentMessageRecord = {
      ...record,
      seq: this.seq++,
      transmissions: 1,
      receivedAt: new Date(receivedAtMs).toISOString(),
      receivedAtMs,
      receipts: {},
    };
    this.sent.push(stored);
    this.sentByKey.set(key, stored);
    if (this.sent.length > MAX_RECORDS) {
      const dropped = this.sent.shift()!;
      this.sentByKey.delete(`${dropped.fromPhoneNumber}|${dropped.to}|${dropped.messageId}`);
    }
    for (const listener of this.sentListeners) listener(stored);
    for (const waiter of this.sentWaiters) {
      if (!matches(stored, waiter.filter)) continue;
      waiter.count += 1;
      waiter.last = stored;
      if (waiter.count >= waiter.target) waiter.done();
    }
    return stored;
  }

  listSent(filter: SentMessageFilter = {}): SentMessageRecord[] {
    return this.sent.filter((record) => matches(record, filter));
  }

  /**
   * Resolves once at least `count` records match `filter` (counting those already logged, at most
   * MAX_RECORDS) or after `timeoutMs`, with the count and the latest matching record.
   */
  async waitForSent(filter: SentMessageFilter, count: number, timeoutMs: number): Promise<SentWaitResult> {
    const logged = this.listSent(filter);
    const waiter: SentWaiter = { filter, count: logged.length, last: logged.at(-1) ?? null, target: count, done: () => undefined };
    if (waiter.count < count) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => waiter.done(), timeoutMs);
        waiter.done = () => {
          clearTimeout(timer);
          this.sentWaiters.delete(waiter);
          resolve();
        };
        this.sentWaiters.add(waiter);
      });
    }
    return { count: waiter.count, reached: waiter.count >= count, last: waiter.last };
  }

  /** The latest record with that message id. */
  findSent(messageId: string): SentMessageRecord | undefined {
    return this.sent.findLast((record) => record.messageId === messageId);
  }

  recordInbound(record: InboundMessageRecord): void {
    this.inbound.set(record.messageId, record);
    if (this.inbound.size > MAX_RECORDS) this.inbound.delete(this.inbound.keys().next().value!);
  }

  findInbound(messageId: string): InboundMessageRecord | undefined {
    return this.inbound.get(messageId);
  }

  listInbound(account?: string): InboundMessageRecord[] {
    return [...this.inbound.values()].filter((record) => !account || record.toPhoneNumber === account);
  }

  clear(): void {
    this.sent.length = 0;
    this.sentByKey.clear();
    this.inbound.clear();
    for (const waiter of this.sentWaiters) {
      waiter.count = 0;
      waiter.last = null;
    }
  }
}
