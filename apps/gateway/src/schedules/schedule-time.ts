import { DateTime, IANAZone } from 'luxon';
import { invalidFields } from '../jobs/message-content.builder';

/** Seed 002's zone (its example and its users are in Indonesia). */
export const DEFAULT_SCHEDULE_TIMEZONE = 'Asia/Jakarta';

const LOCAL_FORMATS = ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm'];
const LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/;
/** ISO 8601 date and time, optionally with fractions and an offset (Z, ±hh:mm, ±hhmm, ±hh; at most ±14 h). */
const OFFSET = '(Z|[+-](0\\d|1[0-4])(:?[0-5]\\d)?)';
const ISO = new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?${OFFSET}?$`, 'i');
const HAS_OFFSET = new RegExp(`${OFFSET}$`, 'i');
const DAY_MS = 86_400_000;
/** IANA zone names: `Area/Location` (Asia/Jakarta, Etc/GMT+7) or a single word (UTC). */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** The wall-clock display of an instant in a zone, in seed 002's format. */
export const wallClock = (instant: Date, zone: string): string => DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');

/**
 * The instant of a schedule time: `YYYY-MM-DD HH:mm[:ss]` (seed 002) or ISO 8601 without offset is
 * a wall-clock time in `zone`; ISO 8601 with an offset is that instant. Around DST changes it
 * resolves like Temporal's and java.time's default: a time skipped by the clock change moves
 * forward by the change (02:30 → 03:30), a time that occurs twice means the first (earlier) one.
 * Errors name the field (400 INVALID_PAYLOAD); times not in the future are refused.
 */
export function resolveScheduleTime(input: string, zone: string, now: Date = new Date()): Date {
  // Node 24's ICU also takes bare offsets ("+07:00") as zones; a schedule names a region's zone.
  if (!IANA_NAME.test(zone) || !IANAZone.isValidZone(zone)) {
    throw invalidFields([{ field: 'timezone', problems: [`"${zone.slice(0, 64)}" is not an IANA time zone name (e.g. Asia/Jakarta, Europe/Berlin, UTC)`] }]);
  }
  const text = input.trim();
  let instant: DateTime;
  if (LOCAL.test(text)) {
    instant = LOCAL_FORMATS.map((format) => DateTime.fromFormat(text, format, { zone })).find((parsed) => parsed.isValid) ?? DateTime.invalid('unparsable');
  } else if (ISO.test(text)) {
    instant = DateTime.fromISO(text, { zone });
  } else {
    throw invalidFields([{ field: 'scheduleTime', problems: ['must be "YYYY-MM-DD HH:mm:ss" (in `timezone`) or ISO 8601 like 2026-01-01T12:00:00+07:00'] }]);
  }
  if (!instant.isValid) {
    throw invalidFields([{ field: 'scheduleTime', problems: [`"${text}" is not a real date and time (${instant.invalidReason ?? 'invalid'})`] }]);
  }
  const sendAt = HAS_OFFSET.test(text) && !LOCAL.test(text) ? instant.toJSDate() : firstOccurrence(instant, zone);
  if (sendAt.getTime() <= now.getTime()) {
    throw invalidFields([
      {
        field: 'scheduleTime',
        problems: [`${wallClock(sendAt, zone)} ${zone} is not in the future (it is ${wallClock(now, zone)} there now)`],
      },
    ]);
  }
  return sendAt;
}

/**
 * Luxon resolves a wall-clock time that occurs twice (clocks set back) to the later instant; the
 * earlier one is the first time the clock shows it, which is what a schedule means.
 */
function firstOccurrence(parsed: DateTime, zone: string): Date {
  const iana = IANAZone.create(zone);
  const wall = Date.UTC(parsed.year, parsed.month - 1, parsed.day, parsed.hour, parsed.minute, parsed.second, parsed.millisecond);
  const offsets = new Set([iana.offset(parsed.toMillis() - DAY_MS), iana.offset(parsed.toMillis()), iana.offset(parsed.toMillis() + DAY_MS)]);
  const candidates = [...offsets].map((offset) => wall - offset * 60_000).filter((instant) => iana.offset(instant) * 60_000 === wall - instant);
  // No candidate: the time was skipped and luxon's forward shift is the answer.
  return new Date(candidates.length > 0 ? Math.min(...candidates) : parsed.toMillis());
}
