import { Injectable } from '@nestjs/common';
import { SimStateStore } from '../persistence/sim-state-store';

/** One message of a phone's chat history, as the phone keeps it. */
export interface HistoryEntry {
  id: string;
  /** The chat: the other phone's PN JID, or the group JID. */
  chat: string;
  /** Written by this phone (on the handset or by one of its companions). */
  fromMe: boolean;
  /** PN JID of the member who wrote a group message (not set for the phone's own). */
  participant?: string;
  /** proto.Message, base64. */
  message: string;
  /** Unix seconds. */
  timestamp: number;
  pushName?: string;
}

const FOLDER = 'history';
/** A phone keeps this many messages per chat (the oldest go first). */
const MAX_PER_CHAT = 2_000;

type Chats = Map<string, HistoryEntry[]>;

/**
 * The chat history on each simulated phone: what it received and sent, in time order per chat,
 * once per message id. It feeds the history sync a new companion gets and the on-demand answers;
 * persisted one file per phone, like the phones themselves.
 */
@Injectable()
export class PhoneHistoryStore {
  private readonly byPhone = new Map<string, Chats>();

  constructor(private readonly state: SimStateStore) {
    for (const key of state.historyFiles.list(FOLDER)) {
      const stored = state.historyFiles.read<Record<string, HistoryEntry[]>>(key);
      if (stored) this.byPhone.set(key.slice(FOLDER.length + 1), new Map(Object.entries(stored)));
    }
  }

  /** Adds the message unless the chat has it already; false when it did. */
  add(phoneNumber: string, entry: HistoryEntry): boolean {
    const chats = this.byPhone.get(phoneNumber) ?? new Map<string, HistoryEntry[]>();
    this.byPhone.set(phoneNumber, chats);
    const entries = chats.get(entry.chat) ?? [];
    if (entries.some((existing) => existing.id === entry.id)) return false;
    let at = entries.length;
    while (at > 0 && entries[at - 1].timestamp > entry.timestamp) at -= 1;
    entries.splice(at, 0, entry);
    if (entries.length > MAX_PER_CHAT) entries.splice(0, entries.length - MAX_PER_CHAT);
    chats.set(entry.chat, entries);
    this.state.historyFiles.write(`${FOLDER}/${phoneNumber}`, () => Object.fromEntries(this.byPhone.get(phoneNumber) ?? []));
    return true;
  }

  /** Every chat of the phone with its messages, oldest first. */
  chats(phoneNumber: string): Array<{ chat: string; entries: HistoryEntry[] }> {
    return [...(this.byPhone.get(phoneNumber) ?? new Map<string, HistoryEntry[]>())].map(([chat, entries]) => ({ chat, entries: [...entries] }));
  }

  entries(phoneNumber: string, chat: string): HistoryEntry[] {
    return [...(this.byPhone.get(phoneNumber)?.get(chat) ?? [])];
  }

  /**
   * Up to `count` messages of the chat just before the anchor (the oldest message a companion
   * has), oldest first: before its position when the phone knows it, else before its time.
   */
  before(phoneNumber: string, chat: string, anchor: { id: string; timestampMs: number }, count: number): HistoryEntry[] {
    const entries = this.entries(phoneNumber, chat);
    const known = entries.findIndex((entry) => entry.id === anchor.id);
    const end = known >= 0 ? known : entries.filter((entry) => entry.timestamp * 1000 < anchor.timestampMs).length;
    return entries.slice(Math.max(0, end - count), end);
  }
}
