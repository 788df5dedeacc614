import { AppError } from '@app/contracts';
import { resolveScheduleTime, wallClock } from './schedule-time';

const NOW = new Date('2026-01-15T00:00:00Z');

const fieldsOf = (run: () => unknown): Array<{ field: string; problems: string[] }> => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_PAYLOAD');
    return (error as AppError).details?.fields as Array<{ field: string; problems: string[] }>;
  }
  throw new Error('expected a validation error');
};

describe('resolveScheduleTime', () => {
  it('reads seed 002 wall-clock times in the given zone', () => {
    expect(resolveScheduleTime('2026-02-01 12:00:00', 'Asia/Jakarta', NOW).toISOString()).toBe('2026-02-01T05:00:00.000Z');
    expect(resolveScheduleTime('2026-02-01 12:00', 'Asia/Jakarta', NOW).toISOString()).toBe('2026-02-01T05:00:00.000Z');
    expect(resolveScheduleTime('2026-07-01 09:30:15', 'America/New_York', NOW).toISOString()).toBe('2026-07-01T13:30:15.000Z');
    expect(resolveScheduleTime('2026-02-01 09:30:15', 'America/New_York', NOW).toISOString()).toBe('2026-02-01T14:30:15.000Z');
    expect(resolveScheduleTime(' 2026-02-01 12:00:00 ', 'UTC', NOW).toISOString()).toBe('2026-02-01T12:00:00.000Z');
  });

  it('takes ISO 8601 with an offset as that instant, and without one as wall-clock time in the zone', () => {
    expect(resolveScheduleTime('2026-02-01T12:00:00+07:00', 'Europe/Berlin', NOW).toISOString()).toBe('2026-02-01T05:00:00.000Z');
    expect(resolveScheduleTime('2026-02-01T05:00:00.250Z', 'Asia/Jakarta', NOW).toISOString()).toBe('2026-02-01T05:00:00.250Z');
    expect(resolveScheduleTime('2026-02-01T12:00:00', 'Asia/Jakarta', NOW).toISOString()).toBe('2026-02-01T05:00:00.000Z');
    expect(resolveScheduleTime('2026-02-01T12:00-0500', 'Asia/Jakarta', NOW).toISOString()).toBe('2026-02-01T17:00:00.000Z');
  });

  it('moves a time skipped by the spring DST change forward by the change', () => {
    // Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 02:30 does not exist.
    const sendAt = resolveScheduleTime('2026-03-29 02:30:00', 'Europe/Berlin', NOW);
    expect(sendAt.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(wallClock(sendAt, 'Europe/Berlin')).toBe('2026-03-29 03:30:00');
  });

  it('takes the first of a time that occurs twice at the autumn DST change', () => {
    // Europe/Berlin: 2026-10-25 03:00 CEST → 02:00 CET; 02:30 happens at 00:30Z and again at 01:30Z.
    expect(resolveScheduleTime('2026-10-25 02:30:00', 'Europe/Berlin', NOW).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(resolveScheduleTime('2026-10-25T02:30:00', 'Europe/Berlin', NOW).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    // America/New_York: 2026-11-01 02:00 EDT → 01:00 EST; 01:30 EDT comes first.
    expect(resolveScheduleTime('2026-11-01 01:30:00', 'America/New_York', NOW).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // Times next to the change are unaffected.
    expect(resolveScheduleTime('2026-10-25 03:30:00', 'Europe/Berlin', NOW).toISOString()).toBe('2026-10-25T02:30:00.000Z');
    expect(resolveScheduleTime('2026-10-25 01:30:00', 'Europe/Berlin', NOW).toISOString()).toBe('2026-10-24T23:30:00.000Z');
  });

  it('refuses times not in the future, naming scheduleTime', () => {
    const fields = fieldsOf(() => resolveScheduleTime('2026-01-15 06:59:59', 'Asia/Jakarta', NOW));
    expect(fields).toEqual([{ field: 'scheduleTime', problems: [expect.stringContaining('not in the future')] }]);
    expect(fieldsOf(() => resolveScheduleTime('2026-01-15T00:00:00Z', 'UTC', NOW))[0].field).toBe('scheduleTime');
    expect(resolveScheduleTime('2026-01-15 07:00:01', 'Asia/Jakarta', NOW).toISOString()).toBe('2026-01-15T00:00:01.000Z');
  });

  it('refuses unknown zones naming timezone, and malformed or impossible times naming scheduleTime', () => {
    expect(fieldsOf(() => resolveScheduleTime('2026-02-01 12:00:00', 'Mars/Olympus', NOW))).toEqual([
      { field: 'timezone', problems: [expect.stringContaining('not an IANA time zone')] },
    ]);
    expect(fieldsOf(() => resolveScheduleTime('2026-02-01 12:00:00', '+07:00', NOW))[0].field).toBe('timezone');
    for (const bad of ['tomorrow noon', '2026-02-01', '01/02/2026 12:00', '2026-02-30 12:00:00', '2026-02-01 25:00:00', '2026-02-01T12:00:00+25:00']) {
      expect(fieldsOf(() => resolveScheduleTime(bad, 'Asia/Jakarta', NOW))[0].field).toBe('scheduleTime');
    }
  });
});
