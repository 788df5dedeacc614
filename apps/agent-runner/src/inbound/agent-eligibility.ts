import type { InboundMessageEvent } from '@app/contracts';

/** Spaces and punctuation people write numbers with (`+62 812-3456-7890`). */
const NUMBER_FORMATTING = /[\s\-().+]/g;

/** Whether the bot's number is written in the text, international (62812…) or national (0812…). */
function mentionsOwnNumber(text: string, ownPhone: string, defaultCountryCode: string): boolean {
  if (!ownPhone) return false;
  const compact = text.replace(NUMBER_FORMATTING, '');
  if (compact.includes(ownPhone)) return true;
  return ownPhone.startsWith(defaultCountryCode) && compact.includes(`0${ownPhone.slice(defaultCountryCode.length)}`);
}

/**
 * Seed 003's rules for which received messages go to the AI agent: text only; status broadcasts,
 * channels and own messages never (the worker does not even publish those, checked again here);
 * in groups only when the bot is mentioned or its number appears in the text. Returns why the
 * message is not for the agent, or null when it is.
 */
export function notForTheAgent(event: InboundMessageEvent, defaultCountryCode: string): string | null {
  if (event.chatJid.endsWith('@broadcast') || event.chatJid.endsWith('@newsletter')) return 'status broadcast or channel';
  if (event.kind !== 'text') return `${event.kind} message (only text goes to the AI)`;
  const text = event.text?.trim() ?? '';
  if (text === '') return 'an empty text';
  if (event.isGroup && !event.mentionsMe && !mentionsOwnNumber(text, event.ownPhone, defaultCountryCode)) {
    return 'a group message that does not mention the bot';
  }
  return null;
}
