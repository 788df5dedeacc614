import { DateTime, IANAZone } from 'luxon';
import { AppError } from '@app/contracts';

/** [from, to) of a calendar day (YYYY-MM-DD) in an IANA time zone. */
export function dayWindow(date: string, timezone = 'UTC'): { from: Date; to: Date } {
  if (!IANAZone.isValidZone(timezone)) throw new AppError('INVALID_PAYLOAD', `timezone "${timezone}" is not an IANA time zone`);
  const start = DateTime.fromISO(date, { zone: timezone }).startOf('day');
  if (!start.isValid) throw new AppError('INVALID_PAYLOAD', `date "${date}" is not a calendar day`);
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}
