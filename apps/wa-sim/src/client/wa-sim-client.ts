import type { PhoneView } from '../accounts/accounts.dto';
import type { ConnectionsView, InfoView } from '../control/info.controller';
import type { StreamErrorKind } from '../faults/faults.service';
import type { ParticipantAction } from '../groups/group-registry.service';
import type { CreateGroupDto, GroupDeliveryResultView, GroupTextDto, GroupView, InviteView, ParticipantsUpdateView } from '../groups/groups.dto';
import type { HistoryEntryView, PastMessageDto, SeededHistoryView } from '../history/history.dto';
import type { CorruptUploadsView, InboundMediaDto, MediaConnView } from '../media/media.dto';
import type { InboundMessageRecord, ReceiptType, SentMessageRecord, SentWaitResult } from '../messaging/message-log.service';
import type { DeliveryResultView, InboundTextDto } from '../messaging/messages.dto';
import type { LinkedDeviceView } from '../pairing/pairing.dto';

export class WaSimRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

/** Typed client of the simulator's control API, for tests and tools of any part of the suite. */
export class WaSimClient {
  constructor(private readonly baseUrl: string) {}

  info(): Promise<InfoView> {
    return this.call('GET', '/info');
  }

  createAccount(phoneNumber: string, name?: string): Promise<PhoneView> {
    return this.call('POST', '/accounts', { phoneNumber, name });
  }

  createContact(phoneNumber: string, name?: string): Promise<PhoneView> {
    return this.call('POST', '/contacts', { phoneNumber, name });
  }

  listAccounts(): Promise<PhoneView[]> {
    return this.call('GET', '/accounts');
  }

  phone(phoneNumber: string): Promise<PhoneView> {
    return this.call('GET', `/phones/${phoneNumber}`);
  }

  setReceiptMode(phoneNumber: string, receiptMode: 'read' | 'delivered' | 'none'): Promise<PhoneView> {
    return this.call('PUT', `/phones/${phoneNumber}/receipt-mode`, { receiptMode });
  }

  scanQr(phoneNumber: string, qr: string): Promise<LinkedDeviceView> {
    return this.call('POST', '/pairing/qr', { phoneNumber, qr });
  }

  completePairingCode(phoneNumber: string, code: string): Promise<LinkedDeviceView> {
    return this.call('POST', '/pairing/code', { phoneNumber, code });
  }

  sendInbound(message: InboundTextDto): Promise<DeliveryResultView> {
    return this.call('POST', '/messages/inbound', message);
  }

  sentMessages(filter: { account?: string; to?: string; messageId?: string } = {}): Promise<SentMessageRecord[]> {
    const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => !!entry[1]));
    return this.call('GET', `/messages/sent?${query.toString()}`);
  }

  /** Long poll: resolves once `count` sent records match `filter` (or after `timeoutMs`), with the count and the latest record. */
  waitForSent(filter: { account?: string; to?: string; messageId?: string }, count: number, timeoutMs = 30_000): Promise<SentWaitResult> {
    const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => !!entry[1]));
    query.set('count', String(count));
    query.set('timeoutMs', String(timeoutMs));
    return this.call('GET', `/messages/sent/wait?${query.toString()}`);
  }

  /** Puts past messages into a chat on an account's phone (a contact's number or a group JID), oldest first. */
  seedHistory(account: string, chat: string, messages: PastMessageDto[]): Promise<SeededHistoryView> {
    return this.call('POST', `/accounts/${account}/history`, { chat, messages });
  }

  /** The phone's chat history, oldest first. */
  phoneHistory(account: string, chat?: string): Promise<HistoryEntryView[]> {
    return this.call('GET', `/accounts/${account}/history${chat ? `?chat=${encodeURIComponent(chat)}` : ''}`);
  }

  /** The account's owner types a text to a contact on the phone: its companions get it as their own message. */
  sendFromPhone(account: string, to: string, text: string): Promise<DeliveryResultView> {
    return this.call('POST', `/accounts/${account}/messages`, { to, text });
  }

  /** Forgets the message log (sent and inbound records). */
  clearMessages(): Promise<{ cleared: true }> {
    return this.call('DELETE', '/messages');
  }

  inboundMessages(account?: string): Promise<InboundMessageRecord[]> {
    return this.call('GET', `/messages/inbound${account ? `?account=${account}` : ''}`);
  }

  emitReceipt(messageId: string, type: ReceiptType): Promise<SentMessageRecord> {
    return this.call('POST', `/messages/sent/${encodeURIComponent(messageId)}/receipts`, { type });
  }

  /** A phone sends a file: the simulator encrypts it, stores it on its media host and delivers the media message. */
  sendInboundMedia(from: string, to: string, media: Omit<InboundMediaDto, 'data'> & { data: Uint8Array }): Promise<DeliveryResultView> {
    return this.sendInbound({ from, to, media: { ...media, data: Buffer.from(media.data).toString('base64') } });
  }

  /** The decrypted bytes of a media message a companion sent, and their content type (the message mimetype). */
  async sentMedia(messageId: string): Promise<{ bytes: Buffer; contentType: string }> {
    const response = await fetch(`${this.baseUrl}/messages/sent/${encodeURIComponent(messageId)}/media`);
    if (!response.ok) {
      const payload = (await response.json()) as { error?: { code: string; message: string } };
      throw new WaSimRequestError(response.status, payload.error?.code ?? 'UNKNOWN', payload.error?.message ?? '');
    }
    return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
  }

  /** An upload grant as `media_conn` gives it, plus the media host URL and CA path (Baileys-free uploads). */
  mediaConnection(): Promise<MediaConnView> {
    return this.call('GET', '/media/conn');
  }

  /** Fault: the next `count` uploads are stored corrupted. */
  corruptMediaUploads(count = 1): Promise<CorruptUploadsView> {
    return this.call('POST', '/media/faults/corrupt-uploads', { count });
  }

  unlink(phoneNumber: string, deviceId: number): Promise<{ unlinked: true }> {
    return this.call('DELETE', `/accounts/${phoneNumber}/devices/${deviceId}`);
  }

  drop(phoneNumber: string, deviceId?: number): Promise<{ connections: number }> {
    return this.call('POST', '/faults/drop', { phoneNumber, deviceId });
  }

  streamError(phoneNumber: string, kind: StreamErrorKind, options: { deviceId?: number; code?: number } = {}): Promise<{ connections: number }> {
    return this.call('POST', '/faults/stream-error', { phoneNumber, kind, ...options });
  }

  connections(): Promise<ConnectionsView> {
    return this.call('GET', '/connections');
  }

  resetMaxConnections(phoneNumber?: string): Promise<ConnectionsView> {
    return this.call('POST', '/connections/reset-max', { phoneNumber });
  }

  createGroup(group: CreateGroupDto): Promise<GroupView> {
    return this.call('POST', '/groups', group);
  }

  listGroups(member?: string): Promise<GroupView[]> {
    return this.call('GET', `/groups${member ? `?member=${member}` : ''}`);
  }

  group(id: string): Promise<GroupView> {
    return this.call('GET', `/groups/${encodeURIComponent(id)}`);
  }

  /** `actor` (an admin phone) changes the members; companions of members get the w:gp2 notification. */
  updateGroupParticipants(id: string, actor: string, action: ParticipantAction, participants: string[]): Promise<ParticipantsUpdateView> {
    return this.call('POST', `/groups/${encodeURIComponent(id)}/participants`, { actor, action, participants });
  }

  groupInvite(id: string): Promise<InviteView> {
    return this.call('GET', `/groups/${encodeURIComponent(id)}/invite`);
  }

  sendGroupMessage(id: string, message: GroupTextDto): Promise<GroupDeliveryResultView> {
    return this.call('POST', `/groups/${encodeURIComponent(id)}/messages`, message);
  }

  /** What companions sent to the group, decrypted. */
  groupMessages(id: string): Promise<SentMessageRecord[]> {
    return this.call('GET', `/groups/${encodeURIComponent(id)}/messages`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json()) as T & { error?: { code: string; message: string } };
    if (!response.ok) {
      throw new WaSimRequestError(response.status, payload.error?.code ?? 'UNKNOWN', payload.error?.message ?? '');
    }
    return payload;
  }
}
