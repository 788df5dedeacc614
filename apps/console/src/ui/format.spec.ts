import { displayPhone, formatPairingCode, loadPercent, phoneFromJid, relativeTime, sessionIdProblem } from './format';

describe('console formatting', () => {
  it('shows phone JIDs as numbers and leaves group and other ids alone', () => {
    expect(phoneFromJid('6281222222222@s.whatsapp.net')).toBe('+6281222222222');
    expect(phoneFromJid('6281222222222:12@s.whatsapp.net')).toBe('+6281222222222');
    expect(phoneFromJid('120363000000000001@g.us')).toBe('120363000000000001@g.us');
    expect(phoneFromJid('081222222222')).toBe('081222222222');
    expect(displayPhone('6281111111111')).toBe('+6281111111111');
    expect(displayPhone(null)).toBe('—');
  });

  it('says how long ago something happened', () => {
    const now = Date.parse('2026-12-01T10:00:00.000Z');
    expect(relativeTime('2026-12-01T09:59:48.000Z', now)).toBe('12 seconds ago');
    expect(relativeTime('2026-12-01T09:57:00.000Z', now)).toBe('3 minutes ago');
    expect(relativeTime('2026-11-30T10:00:00.000Z', now)).toBe('yesterday');
    expect(relativeTime('2026-12-01T10:00:00.000Z', now)).toBe('now');
    expect(relativeTime('2026-12-01T10:00:03.000Z', now)).toBe('now');
    expect(relativeTime('2026-12-01T12:00:00.000Z', now)).toBe('in 2 hours');
    expect(relativeTime(null, now)).toBe('never');
    expect(relativeTime('not a date', now)).toBe('not a date');
  });

  it('groups a pairing code as WhatsApp does', () => {
    expect(formatPairingCode('ABCD1234')).toBe('ABCD-1234');
    expect(formatPairingCode('ABC')).toBe('ABC');
  });

  it('turns sessions held against capacity into a bounded percentage', () => {
    expect(loadPercent(25, 100)).toBe(25);
    expect(loadPercent(3, 0)).toBe(0);
    expect(loadPercent(120, 100)).toBe(100);
  });

  it('checks session ids as the API does', () => {
    expect(sessionIdProblem('demo-1_a')).toBeNull();
    expect(sessionIdProblem('ab')).toMatch(/3 to 50/);
    expect(sessionIdProblem('a'.repeat(51))).toMatch(/3 to 50/);
    expect(sessionIdProblem('has space')).toMatch(/letters, digits/);
  });
});
