import { normalizeMessageContent, type proto } from '@whiskeysockets/baileys';

type MessageKind = 'text' | 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'other';

/** Media fields as the companion sent them; the bytes live on the upload host (media module). */
export interface MediaReference {
  mimetype?: string;
  caption?: string;
  fileName?: string;
  /** Audio recorded as a voice note. */
  ptt?: boolean;
  url?: string;
  directPath?: string;
  mediaKey?: string;
  fileSha256?: string;
  fileEncSha256?: string;
  fileLength?: number;
  /** Set by the media module on sent messages: the recipient phone downloading and checking the blob. */
  status?: 'pending' | 'ready' | 'failed';
  /** Why the blob was rejected, e.g. `FILE_ENC_SHA256_MISMATCH: …` or `MEDIA_NOT_FOUND: …`. */
  error?: string;
  /** Hex SHA-256 and length of the decrypted bytes (`GET /messages/sent/{id}/media` returns them). */
  decryptedSha256?: string;
  decryptedLength?: number;
}

export interface MessageContent {
  kind: MessageKind;
  text?: string;
  quotedMessageId?: string;
  mentions: string[];
  media?: MediaReference;
}

const MEDIA_FIELDS = ['imageMessage', 'videoMessage', 'audioMessage', 'documentMessage', 'stickerMessage'] as const;

type MediaMessage = proto.Message.IImageMessage & proto.Message.IDocumentMessage & proto.Message.IAudioMessage & { contextInfo?: proto.IContextInfo | null };

const base64 = (bytes: Uint8Array | null | undefined): string | undefined => (bytes?.length ? Buffer.from(bytes).toString('base64') : undefined);

/** What a test wants to assert about a message: its text, quote, mentions and media fields. */
export function describeMessage(raw: proto.IMessage): MessageContent {
  // A phone's own typed message reaches its companions wrapped in deviceSentMessage.
  const unwrapped = raw.deviceSentMessage?.message ?? raw;
  const message = normalizeMessageContent(unwrapped) ?? unwrapped;
  if (message.conversation) return { kind: 'text', text: message.conversation, mentions: [] };
  if (message.extendedTextMessage) {
    const { text, contextInfo } = message.extendedTextMessage;
    return { kind: 'text', text: text ?? '', ...context(contextInfo) };
  }
  for (const field of MEDIA_FIELDS) {
    const media: MediaMessage | null | undefined = message[field];
    if (!media) continue;
    return {
      kind: field.replace('Message', '') as MessageKind,
      text: media.caption ?? undefined,
      ...context(media.contextInfo),
      media: {
        mimetype: media.mimetype ?? undefined,
        caption: media.caption ?? undefined,
        fileName: media.fileName ?? undefined,
        ptt: media.ptt ?? undefined,
        url: media.url ?? undefined,
        directPath: media.directPath ?? undefined,
        mediaKey: base64(media.mediaKey),
        fileSha256: base64(media.fileSha256),
        fileEncSha256: base64(media.fileEncSha256),
        fileLength: media.fileLength ? Number(media.fileLength) : undefined,
      },
    };
  }
  return { kind: 'other', mentions: [] };
}

function context(info: proto.IContextInfo | null | undefined): Pick<MessageContent, 'quotedMessageId' | 'mentions'> {
  return { quotedMessageId: info?.stanzaId ?? undefined, mentions: info?.mentionedJid ?? [] };
}
