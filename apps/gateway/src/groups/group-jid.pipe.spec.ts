import { AppError } from '@app/contracts';
import { groupJidOf, participantJidOf } from './group-jid.pipe';

function rejection(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('groupJidOf', () => {
  it('accepts group JIDs, old-style ones too', () => {
    expect(groupJidOf('120363041234567890@g.us')).toBe('120363041234567890@g.us');
    expect(groupJidOf(' 6281234567890-1591234567@G.US ')).toBe('6281234567890-1591234567@g.us');
  });

  it.each([
    ['6281234567890', 'group JIDs end in @g.us'],
    ['120363041234567890', 'group JIDs end in @g.us'],
    ['6281234567890@s.whatsapp.net', 'group JIDs end in @g.us'],
    ['abc@g.us', 'a group JID must be digits'],
    ['', 'group JIDs end in @g.us'],
    ['@g.us', 'the part before @ is empty'],
  ])('refuses %j, naming the field and the reason', (input, reason) => {
    const error = rejection(() => groupJidOf(input, 'groupId'));
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.message).toContain('groupId');
    expect(error.message).toContain(reason);
    expect(error.details).toEqual({ fields: [{ field: 'groupId', problems: [expect.stringContaining(reason)] }] });
  });
});

describe('participantJidOf', () => {
  it('accepts numbers in any written form and user JIDs', () => {
    expect(participantJidOf('0812-3456-7890', '62', 'participant')).toBe('6281234567890@s.whatsapp.net');
    expect(participantJidOf('+62 812 3456 7890', '62', 'participant')).toBe('6281234567890@s.whatsapp.net');
    expect(participantJidOf('6281234567890@c.us', '62', 'participant')).toBe('6281234567890@s.whatsapp.net');
    expect(participantJidOf('100000000000001@lid', '62', 'participant')).toBe('100000000000001@lid');
  });

  it('refuses groups and non-numbers, naming the field', () => {
    expect(rejection(() => participantJidOf('120363041234567890@g.us', '62', 'participants[1]')).details).toEqual({
      fields: [{ field: 'participants[1]', problems: ['is a group; only people can be participants'] }],
    });
    const error = rejection(() => participantJidOf('budi', '62', 'adminJid'));
    expect(error.message).toMatch(/^adminJid "budi" is not a phone number or user JID: it contains letters$/);
  });
});
