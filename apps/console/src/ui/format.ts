/** `6281234567890@s.whatsapp.net` → `+6281234567890`; a group or other JID stays as it is. */
export function phoneFromJid(jid: string): string {
  const match = /^(\d+)(?::\d+)?@s\.whatsapp\.net$/.exec(jid);
  return match ? `+${match[1]}` : jid;
}

/** A stored phone (digits) for display: `+6281234567890`, or a dash when there is none. */
export const displayPhone = (phone: string | null | undefined): string => (phone ? `+${phone.replace(/^\+/, '')}` : '—');

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** `12 seconds ago`, `in 3 minutes`, `yesterday`: how long ago a moment was, from `now`. */
export function relativeTime(iso: string | null | undefined, now: number, locale = 'en'): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  // A moment a little ahead of `now` (another machine's clock, a clock read a moment ago) is now.
  const elapsed = at - now > 0 && at - now < 60_000 ? 0 : at - now;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(elapsed) >= size || unit === 'second') return format.format(Math.round(elapsed / size), unit);
  }
  return format.format(0, 'second');
}

/** A full local date and time, for titles next to relative times. */
export const fullTime = (iso: string | null | undefined, locale?: string): string =>
  iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso).toLocaleString(locale) : '';

/** A pairing code as WhatsApp shows it: `ABCD-1234`. */
export const formatPairingCode = (code: string): string => (code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code);

/** `sessions 3 of 50` as a 0–100 share for a meter (0 when there is no capacity). */
export const loadPercent = (held: number, capacity: number): number => (capacity > 0 ? Math.min(100, Math.round((held / capacity) * 100)) : 0);

/** Session ids the API accepts (3–50 of letters, digits, `_`, `-`): a message when `id` is not one. */
export function sessionIdProblem(id: string): string | null {
  if (id.length < 3 || id.length > 50) return 'Use 3 to 50 characters.';
  if (!/^[a-zA-Z0-9_-]+$/.test(id)) return 'Use only letters, digits, "-" and "_".';
  return null;
}
