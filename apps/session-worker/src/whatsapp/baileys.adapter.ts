import { Injectable } from '@nestjs/common';
import makeWASocket, {
  BufferJSON,
  DEFAULT_CONNECTION_CONFIG,
  DisconnectReason,
  getContentType,
  initAuthCreds,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isLidUser,
  isPnUser,
  jidDecode,
  normalizeMessageContent,
  proto,
  WA_CERT_DETAILS,
  WAMessageAddressingMode,
  type AnyMessageContent,
  type AuthenticationCreds,
  type ConnectionState,
  type GroupMetadata,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
  type SignalKeyStoreWithTransaction,
  type WAMessage,
  type WAMessageUpdate,
} from '@whiskeysockets/baileys';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import type { GroupInfo } from '@app/contracts';
import type {
  AuthStore,
  AuthValueCodec,
  CloseReason,
  KeyWrite,
  ConnectionListener,
  GroupOperations,
  OutgoingMessage,
  ReceiptStatus,
  ReceivedMessage,
  WhatsAppConnection,
} from './whatsapp-connection';
import { WhatsAppRequestError } from './whatsapp-connection';
import { KIND_BY_CONTENT, requestOlderMessages, watchHistory } from './baileys-history';
import { recordPrivacyTokenIssued } from './privacy-token.record';

type Socket = ReturnType<typeof makeWASocket>;

/** Baileys values hold Buffers; stored values are JSON with Baileys' own buffer encoding. */
export const BAILEYS_AUTH_CODEC: AuthValueCodec = {
  encode: (value) => JSON.stringify(value, BufferJSON.replacer),
  decode: (json) => JSON.parse(json, BufferJSON.reviver) as unknown,
};

/** WhatsApp's message status numbers (proto WebMessageInfo.Status) that are receipts. */
const RECEIPTS: Record<number, ReceiptStatus> = { 3: 'delivered', 4: 'read', 5: 'read' };

function messageContentOf({ content, media }: OutgoingMessage): AnyMessageContent {
  const mentions = content.mentions && content.mentions.length > 0 ? { mentions: content.mentions } : {};
  if (content.kind === 'text') return { text: content.text, ...mentions };
  if (!media) throw new Error(`Media ${content.mediaId} has no bytes`);
  const { mimeType: mimetype, caption } = content;
  switch (content.kind) {
    case 'image':
      return { image: media, mimetype, caption, ...mentions };
    case 'video':
      return { video: media, mimetype, caption, ...mentions };
    case 'audio':
      return { audio: media, mimetype };
    case 'document':
      return { document: media, mimetype, fileName: content.fileName ?? 'document', caption, ...mentions };
  }
}

/** Enough of the quoted message for WhatsApp to show the reply (its id is what links them). */
function quotedStub(to: string, quotedMessageId: string): WAMessage {
  return { key: { remoteJid: to, id: quotedMessageId, fromMe: false }, message: { conversation: '' } };
}

function closeReasonOf(update: Partial<ConnectionState>, linked: boolean): { reason: CloseReason; detail: string } {
  const error = update.lastDisconnect?.error as { output?: { statusCode?: number }; message?: string } | undefined;
  const code = error?.output?.statusCode;
  const detail = `${code ?? 'no status'}: ${error?.message ?? 'connection closed'}`;
  switch (code) {
    case DisconnectReason.loggedOut:
      return { reason: 'logged_out', detail };
    case DisconnectReason.restartRequired:
      return { reason: 'restart_required', detail };
    case DisconnectReason.connectionReplaced:
      return { reason: 'replaced', detail };
    case DisconnectReason.forbidden:
      return { reason: 'forbidden', detail };
    case DisconnectReason.badSession:
    case DisconnectReason.multideviceMismatch:
      return { reason: 'bad_session', detail };
    case DisconnectReason.unavailableService:
      return { reason: 'unavailable', detail };
    case DisconnectReason.timedOut:
      // 408 is both "QR refs ran out" (never linked) and a lost connection.
      return { reason: linked ? 'connection_lost' : 'qr_expired', detail };
    default:
      return { reason: 'connection_lost', detail };
  }
}

/**
 * The only place that knows Baileys: opens sockets for sessions against WhatsApp (or, when
 * WA_WS_URL is set, against that server) and translates between Baileys and the suite's types.
 */
@Injectable()
export class BaileysAdapter {
  constructor(
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {
    const root = config.WA_TRUSTED_ROOT_PUBLIC_KEY;
    // Only when explicitly configured (the simulator): Baileys checks server certificates against this root.
    if (root) WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(root.length === 66 ? root.slice(2) : root, 'hex');
  }

  async open(sessionId: string, store: AuthStore, listener: ConnectionListener): Promise<WhatsAppConnection> {
    const creds = ((await store.loadCreds()) as AuthenticationCreds | null) ?? initAuthCreds();
    const baileysLogger = this.logger.logger.child({ sessionId, component: 'baileys' }, { level: 'warn' });
    const socket = makeWASocket({
      // The store caches decoded keys itself (per session, bounded, pre-keys left out), so Baileys'
      // own key cache would only hold a second copy, pre-keys included, for minutes after a link.
      auth: { creds, keys: this.keyStore(store, listener) },
      ...(this.config.WA_WS_URL ? { waWebSocketUrl: this.config.WA_WS_URL } : {}),
      ...(this.config.WA_QR_TIMEOUT_MS ? { qrTimeout: this.config.WA_QR_TIMEOUT_MS } : {}),
      makeSignalRepository: migratingUnderSendLock,
      logger: baileysLogger,
      markOnlineOnConnect: false,
      syncFullHistory: false,
      generateHighQualityLinkPreview: false,
    });
    const saveCreds = coalesce(() => store.saveCreds(creds), listener);
    socket.ev.on('creds.update', saveCreds);
    socket.ev.on('connection.update', (update) => this.onUpdate(socket, creds, update, listener));
    socket.ev.on('messages.update', (updates) => reportReceipts(updates, listener));
    socket.ev.on('messages.upsert', ({ messages, type }) => {
      for (const message of messages) {
        const received = receivedMessageOf(message, creds, type === 'append');
        if (received) listener.onMessage(received);
      }
    });
    watchHistory(socket, creds, listener);
    return this.connectionOf(socket, creds, baileysLogger);
  }

  private onUpdate(socket: Socket, creds: AuthenticationCreds, update: Partial<ConnectionState>, listener: ConnectionListener): void {
    if (update.qr) listener.onQr(update.qr);
    if (update.connection === 'open' && creds.me) {
      const phone = jidDecode(creds.me.id)?.user ?? creds.me.id;
      listener.onOpen({ jid: `${phone}@s.whatsapp.net`, phone, name: creds.me.name ?? null });
    }
    if (update.connection === 'close') {
      socket.ev.removeAllListeners('connection.update');
      const { reason, detail } = closeReasonOf(update, !!creds.me);
      listener.onClose(reason, detail);
    }
  }

  private connectionOf(socket: Socket, creds: AuthenticationCreds, logger: typeof this.logger.logger): WhatsAppConnection {
    return {
      get linked() {
        return !!creds.me;
      },
      requestPairingCode: (phone) => socket.requestPairingCode(phone),
      send: async (message) => {
        const quoted = message.content.quotedMessageId ? quotedStub(message.to, message.content.quotedMessageId) : undefined;
        await socket.sendMessage(message.to, messageContentOf(message), { messageId: message.messageId, quoted });
        // The message is out: a failure here must not make it count as unsent.
        await recordPrivacyTokenIssued(socket.authState.keys, (jid) => socket.signalRepository.lidMapping.getLIDForPN(jid), message.to).catch(
          (error: unknown) => logger.warn({ err: error }, 'privacy token issue not recorded'),
        );
      },
      sendPresence: (chatJid, state) => socket.sendPresenceUpdate(state, chatJid),
      fetchHistory: (chatJid, count, anchor) => requestOlderMessages(socket, chatJid, count, anchor),
      groups: groupOperationsOf(socket),
      logout: () => socket.logout(),
      // Fire and forget, as Baileys itself calls it: `end` catches its own errors.
      close: () => void socket.end(undefined),
      get closed() {
        return socket.ws.isClosed;
      },
    };
  }

  private keyStore(store: AuthStore, listener: ConnectionListener): SignalKeyStore {
    return {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const found = await store.getKeys(type, ids);
        const result: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const [id, value] of found) {
          result[id] = (type === 'app-state-sync-key' ? proto.Message.AppStateSyncKeyData.fromObject(value as object) : value) as SignalDataTypeMap[T];
        }
        return result;
      },
      set: async (data: SignalDataSet) => {
        const writes: KeyWrite[] = [];
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) writes.push({ type, id, value: value ?? null });
        }
        try {
          await store.writeKeys(writes);
        } catch (error) {
          listener.onStorageFailure(error as Error);
          throw error;
        }
      },
    };
  }
}

/**
 * Baileys' Signal repository, with one change: moving a contact's session from its phone-number
 * address to its LID takes the lock sends take (Baileys' transaction keyed by the account id).
 * Baileys runs the move in a transaction of its own, so a send between the move's read and its
 * write would be overwritten by the older record, and the next message would reuse a message key.
 */
const migratingUnderSendLock: typeof DEFAULT_CONNECTION_CONFIG.makeSignalRepository = (auth, logger, pnToLid) => {
  const repository = DEFAULT_CONNECTION_CONFIG.makeSignalRepository(auth, logger, pnToLid);
  const keys = auth.keys as SignalKeyStoreWithTransaction;
  return {
    ...repository,
    migrateSession: (fromJid, toJid) =>
      keys.transaction(() => repository.migrateSession(fromJid, toJid), (auth.creds as AuthenticationCreds).me?.id ?? 'migrate-session'),
  };
};

const phoneOf = (jid: string | null | undefined): string | null => {
  const decoded = jid ? jidDecode(jid) : undefined;
  return decoded && decoded.server === 's.whatsapp.net' ? decoded.user : null;
};

/** What the suite needs of a received message; null for our own, broadcasts, channels and protocol noise. */
function receivedMessageOf(message: WAMessage, creds: AuthenticationCreds, offline: boolean): ReceivedMessage | null {
  const { key } = message;
  const chatJid = key.remoteJid;
  const content = normalizeMessageContent(message.message);
  const type = getContentType(content);
  if (key.fromMe || !chatJid || !key.id || !content || !type || isJidBroadcast(chatJid) || isJidNewsletter(chatJid)) return null;
  if (type === 'protocolMessage' || type === 'senderKeyDistributionMessage') return null;
  const isGroup = !!isJidGroup(chatJid);
  const senderJid = (isGroup ? key.participant : chatJid) ?? chatJid;
  const senderAlt = isGroup ? key.participantAlt : key.remoteJidAlt;
  const inner = content[type] as { text?: string; caption?: string; contextInfo?: proto.IContextInfo } | string | undefined;
  const text = typeof inner === 'string' ? inner : (inner?.text ?? inner?.caption ?? null);
  const context = typeof inner === 'object' ? inner?.contextInfo : undefined;
  const mentions = context?.mentionedJid ?? [];
  const own = [creds.me?.id, creds.me?.lid].filter((jid): jid is string => !!jid).map((jid) => jidDecode(jid)?.user);
  const timestamp = Number(message.messageTimestamp ?? 0);
  return {
    waMessageId: key.id,
    chatJid,
    isGroup,
    senderJid,
    senderPhone: phoneOf(senderJid) ?? phoneOf(senderAlt),
    pushName: message.pushName ?? null,
    kind: KIND_BY_CONTENT[type] ?? 'other',
    text,
    quotedMessageId: context?.stanzaId ?? null,
    mentions,
    mentionsMe: mentions.some((jid) => own.includes(jidDecode(jid)?.user)),
    ownPhone: phoneOf(creds.me?.id) ?? '',
    sentAt: new Date(timestamp > 0 ? timestamp * 1000 : Date.now()).toISOString(),
    offline,
  };
}

function reportReceipts(updates: WAMessageUpdate[], listener: ConnectionListener): void {
  for (const { key, update } of updates) {
    const status = typeof update.status === 'number' ? RECEIPTS[update.status] : undefined;
    if (key.fromMe && key.id && status) listener.onReceipt(key.id, status);
  }
}

function groupOperationsOf(socket: Socket): GroupOperations {
  const code = async (read: Promise<string | undefined>): Promise<string> => {
    const value = await read;
    if (!value) throw new WhatsAppRequestError(502, 'WhatsApp answered without an invite code');
    return value;
  };
  return {
    create: (subject, participants) => groupCall(async () => groupInfoOf(await socket.groupCreate(subject, participants))),
    metadata: (groupJid) => groupCall(async () => groupInfoOf(await socket.groupMetadata(groupJid))),
    participating: () => groupCall(async () => Object.values(await socket.groupFetchAllParticipating()).map(groupInfoOf)),
    updateParticipants: (groupJid, participants, action) =>
      groupCall(async () =>
        (await socket.groupParticipantsUpdate(groupJid, participants, action)).map(({ jid, status }) => ({ jid: jid ?? '', status: Number(status) })),
      ),
    inviteCode: (groupJid) => groupCall(() => code(socket.groupInviteCode(groupJid))),
    revokeInvite: (groupJid) => groupCall(() => code(socket.groupRevokeInvite(groupJid))),
  };
}

/** Baileys reports a refused iq as a Boom carrying WhatsApp's code in `data` (or as its status). */
async function groupCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const boom = error as { isBoom?: boolean; data?: unknown; output?: { statusCode?: number }; message: string };
    if (!boom.isBoom) throw error;
    throw new WhatsAppRequestError(typeof boom.data === 'number' ? boom.data : (boom.output?.statusCode ?? 500), boom.message);
  }
}

/** Members are named as the group names them (LIDs in LID groups), with the phone when WhatsApp tells it. */
function groupInfoOf(metadata: GroupMetadata): GroupInfo {
  return {
    id: metadata.id,
    subject: metadata.subject,
    description: metadata.desc ?? null,
    owner: metadata.ownerPn ?? metadata.owner ?? null,
    createdAt: metadata.creation ? new Date(metadata.creation * 1000).toISOString() : null,
    size: metadata.size ?? metadata.participants.length,
    addressingMode: metadata.addressingMode === WAMessageAddressingMode.LID ? 'lid' : 'pn',
    announce: !!metadata.announce,
    restrict: !!metadata.restrict,
    participants: metadata.participants.map(({ id, phoneNumber, lid, admin }) => ({
      jid: id,
      phone: phoneOf(isPnUser(id) ? id : phoneNumber),
      lid: (isLidUser(id) ? id : lid) ?? null,
      role: admin ?? 'member',
    })),
  };
}

/** Runs `save` now, or once more after the running save when called meanwhile (creds change in bursts). */
function coalesce(save: () => Promise<void>, listener: ConnectionListener): () => void {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = save()
      .catch((error: Error) => listener.onStorageFailure(error))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return run;
}
