/**
 * What an accepted send asks WhatsApp to deliver. Persisted in `outbound_messages.content` and read
 * by whichever worker owns the session when the message goes out: a wire format, change additively.
 */
export type MediaKind = 'image' | 'video' | 'audio' | 'document';

interface ContentBase {
  /** WhatsApp id of the message to quote (reply to). */
  quotedMessageId?: string;
  /** JIDs mentioned in the text or caption. */
  mentions?: string[];
}

export interface TextContent extends ContentBase {
  kind: 'text';
  text: string;
}

export interface MediaContent extends ContentBase {
  kind: MediaKind;
  /** Row in media_objects holding the bytes. */
  mediaId: string;
  mimeType: string;
  fileName?: string;
  caption?: string;
}

export type OutboundContent = TextContent | MediaContent;

export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'video', 'audio', 'document'];
