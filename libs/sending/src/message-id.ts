import { randomBytes } from 'node:crypto';

/**
 * A WhatsApp message id in the shape WhatsApp Web uses (`3EB0` + 18 hex digits). Fixed when a
 * send is accepted, so every attempt (by any worker) sends the same message, never a second one.
 */
export const newWhatsAppMessageId = (): string => `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;

/**
 * whatsapp-web.js (seed 003) names a message `<fromMe>_<chat JID>_<id>` (plus `_<participant JID>`
 * in groups), e.g. `true_6281234567890@c.us_3EB0ABC…`; seed 003 clients pass such names as
 * `quotedMessageId`. WhatsApp knows the message by `<id>` alone: anything else is returned as is.
 */
export function plainMessageId(value: string): string {
  const serialized = /^(?:true|false)_[^_\s@]+@[a-z.]+_([0-9A-Za-z]+)(?:_[^_\s@]+@[a-z.]+)?$/.exec(value);
  return serialized ? serialized[1] : value;
}
