import { AppError } from '@app/contracts';
import { normalizeRecipient } from './recipient.normalizer';

export interface MentionMessage {
  /** The text with every placeholder replaced by `@<number>`. */
  text: string;
  /** JIDs to pass as the message's mentions (each once, in the order given). */
  mentions: string[];
}

/**
 * Seed 002's mention placeholders: `{m1}` and `{mention1}` count from 1, `{mention[0]}` counts
 * from 0, `{mentions}` is every mention separated by spaces.
 */
const PLACEHOLDER = /\{(?:m(\d+)|mention(\d+)|mention\[(\d+)\]|mentions)\}/g;

/**
 * Expands a group mention template (seed 002 `mention-message`) against a list of numbers or
 * JIDs. WhatsApp highlights a mention only when the text carries `@<number>` and the message
 * lists the JID, so both come out of here together. Every listed number is mentioned, whether
 * or not a placeholder shows it.
 */
export function expandMentionTemplate(template: string, mentions: readonly string[], defaultCountryCode: string): MentionMessage {
  const people = mentions.map((mention, index) => {
    const recipient = normalizeRecipient(mention, defaultCountryCode);
    if (recipient.kind !== 'user') {
      throw new AppError('INVALID_PAYLOAD', `mentions[${index}] is a group; only people can be mentioned`, { field: `mentions[${index}]` });
    }
    return { jid: recipient.jid, tag: `@${recipient.jid.slice(0, recipient.jid.indexOf('@'))}` };
  });
  const pick = (placeholder: string, index: number, countedFrom: 0 | 1): string => {
    const person = people[index];
    if (!person) {
      const reason =
        index < 0
          ? `placeholders like ${placeholder} count from ${countedFrom}`
          : `it refers to mention ${index + countedFrom} but ${people.length} ${people.length === 1 ? 'was' : 'were'} given`;
      throw new AppError('INVALID_PAYLOAD', `Placeholder ${placeholder} cannot be filled: ${reason}`, { placeholder });
    }
    return person.tag;
  };
  const text = template.replace(PLACEHOLDER, (placeholder, m?: string, mention?: string, zeroBased?: string) => {
    if (m !== undefined) return pick(placeholder, Number(m) - 1, 1);
    if (mention !== undefined) return pick(placeholder, Number(mention) - 1, 1);
    if (zeroBased !== undefined) return pick(placeholder, Number(zeroBased), 0);
    return people.map((person) => person.tag).join(' ');
  });
  return { text, mentions: [...new Set(people.map((person) => person.jid))] };
}
