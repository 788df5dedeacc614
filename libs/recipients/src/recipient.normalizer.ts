import { AppError } from '@app/contracts';

export interface Recipient {
  /** Where WhatsApp delivers: `<digits>@s.whatsapp.net`, `<id>@g.us` or `<id>@lid`. */
  jid: string;
  kind: 'user' | 'group';
  /** E.164 digits without `+`, for recipients addressed by phone number. */
  phone?: string;
}

/** E.164: at most 15 digits; 7 is the shortest real international number (e.g. +290 XXXX). */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;
/** Spaces, dashes, dots and brackets people write numbers with. */
const FORMATTING = /[\s\-.()\u00a0]/g;
const USER_DOMAINS = new Set(['s.whatsapp.net', 'c.us']);

function fail(input: string, reason: string): never {
  const shown = input.length > 64 ? `${input.slice(0, 64)}…` : input;
  throw new AppError('INVALID_PAYLOAD', `Recipient "${shown}" is not a phone number or WhatsApp JID: ${reason}`, { recipient: shown, reason });
}

function checkE164(input: string, digits: string): string {
  if (digits.length < MIN_DIGITS) fail(input, `it has ${digits.length} digits, a number with country code has at least ${MIN_DIGITS}`);
  if (digits.length > MAX_DIGITS) fail(input, `it has ${digits.length} digits, E.164 allows at most ${MAX_DIGITS}`);
  if (digits.startsWith('0')) fail(input, 'a country code cannot start with 0');
  return digits;
}

function fromJid(input: string, local: string, domain: string): Recipient {
  if (local === '') fail(input, 'the part before @ is empty');
  if (USER_DOMAINS.has(domain)) {
    // A device JID (`628…:12@s.whatsapp.net`) addresses one linked device; sends go to the account.
    const user = local.split(':')[0];
    if (!/^\d+$/.test(user)) fail(input, 'a user JID must be digits before @s.whatsapp.net');
    const phone = checkE164(input, user);
    return { jid: `${phone}@s.whatsapp.net`, kind: 'user', phone };
  }
  if (domain === 'g.us') {
    // Current group ids are digits; groups created before 2021 are `<creator>-<timestamp>`.
    if (!/^\d{5,30}(-\d{5,15})?$/.test(local)) fail(input, 'a group JID must be digits (or digits-digits) before @g.us');
    return { jid: `${local}@g.us`, kind: 'group' };
  }
  if (domain === 'lid') {
    // Baileys 7 addresses many contacts by their LID (WhatsApp's privacy id) instead of a number.
    const user = local.split(':')[0];
    if (!/^\d{1,30}$/.test(user)) fail(input, 'a LID must be digits before @lid');
    return { jid: `${user}@lid`, kind: 'user' };
  }
  return fail(input, `unknown domain "@${domain}" (use @s.whatsapp.net, @c.us, @g.us or @lid)`);
}

function fromNumber(input: string, defaultCountryCode: string): Recipient {
  const compact = input.replace(FORMATTING, '');
  if (compact === '' || compact === '+') fail(input, 'it has no digits');
  if (/[a-z]/i.test(compact)) fail(input, 'it contains letters');
  if (!/^\+?\d+$/.test(compact)) fail(input, 'only digits, an optional leading +, spaces, dashes, dots and brackets are allowed');
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  // 00 is the ITU international call prefix: 0062812… means +62 812…
  else if (compact.startsWith('00')) digits = compact.slice(2);
  // A single leading 0 is the national trunk prefix (seed 002: 0812… is +62 812…).
  else if (compact.startsWith('0')) digits = defaultCountryCode + compact.slice(1);
  // Bare digits are already international (seed 003 sends 6281234567890).
  else digits = compact;
  const phone = checkE164(input, digits);
  return { jid: `${phone}@s.whatsapp.net`, kind: 'user', phone };
}

/**
 * Turns what a client writes as a recipient into the JID WhatsApp delivers to (SPEC §4 "Phone
 * numbers"): `+62 812-3456-7890`, `6281234567890`, `0812…` (national, default country code),
 * `…@s.whatsapp.net`, legacy `…@c.us`, `…@g.us` and `…@lid`. Anything else is INVALID_PAYLOAD with the reason.
 */
export function normalizeRecipient(input: string, defaultCountryCode: string): Recipient {
  const trimmed = typeof input === 'string' ? input.trim() : '';
  if (trimmed === '') fail('', 'it is empty');
  const at = trimmed.lastIndexOf('@');
  if (at >= 0) return fromJid(trimmed, trimmed.slice(0, at), trimmed.slice(at + 1).toLowerCase());
  return fromNumber(trimmed, defaultCountryCode);
}
