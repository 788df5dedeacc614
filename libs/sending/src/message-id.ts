import { randomBytes } from 'node:crypto';

/**
 * A WhatsApp message id in the shape WhatsApp Web uses (`3EB0` + 18 hex digits). Fixed when a
 * send is accepted, so every attempt (by any worker) sends the same message, never a second one.
 */
export const newWhatsAppMessageId = (): string => `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
