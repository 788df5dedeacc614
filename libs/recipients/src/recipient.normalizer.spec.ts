import { AppError } from '@app/contracts';
import { expandMentionTemplate } from './mention.template';
import { normalizeRecipient } from './recipient.normalizer';

const rejection = (run: () => unknown): AppError => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an INVALID_PAYLOAD error');
};

describe('normalizeRecipient', () => {
  it.each([
    ['+62 812-3456-7890', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['6281234567890', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['081234567890', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['0812 3456 7890', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['(0812) 3456.7890', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['  +6281234567890  ', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['006281234567890', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['+1 (415) 555-2671', '14155552671@s.whatsapp.net', '14155552671'],
    ['6281234567890@s.whatsapp.net', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['6281234567890@c.us', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['6281234567890:12@s.whatsapp.net', '6281234567890@s.whatsapp.net', '6281234567890'],
    ['6281234567890@S.WhatsApp.Net', '6281234567890@s.whatsapp.net', '6281234567890'],
  ])('reads %s as the user %s', (input, jid, phone) => {
    expect(normalizeRecipient(input, '62')).toEqual({ jid, kind: 'user', phone });
  });

  it('applies the configured default country code to national numbers', () => {
    expect(normalizeRecipient('07911 123456', '44')).toEqual({ jid: '447911123456@s.whatsapp.net', kind: 'user', phone: '447911123456' });
  });

  it.each([
    ['120363041234567890@g.us', '120363041234567890@g.us'],
    ['6281234567890-1612345678@g.us', '6281234567890-1612345678@g.us'],
  ])('reads %s as a group', (input, jid) => {
    expect(normalizeRecipient(input, '62')).toEqual({ jid, kind: 'group' });
  });

  it('accepts a LID as a user without a phone number', () => {
    expect(normalizeRecipient('123456789012345@lid', '62')).toEqual({ jid: '123456789012345@lid', kind: 'user' });
  });

  it.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['budi', 'it contains letters'],
    ['0812-3456-abcd', 'it contains letters'],
    ['+62#812345678', 'only digits'],
    ['+', 'it has no digits'],
    ['12345', 'it has 5 digits, a number with country code has at least 7'],
    ['+62 812 3456 7890 1234', 'it has 17 digits, E.164 allows at most 15'],
    ['6281234567890@example.com', 'unknown domain "@example.com"'],
    ['status@broadcast', 'unknown domain "@broadcast"'],
    ['@s.whatsapp.net', 'the part before @ is empty'],
    ['budi@s.whatsapp.net', 'a user JID must be digits'],
    ['abc@g.us', 'a group JID must be digits'],
    ['000123456789', 'a country code cannot start with 0'],
  ])('rejects %j: %s', (input, reason) => {
    const error = rejection(() => normalizeRecipient(input, '62'));
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.message).toContain(reason);
    expect(error.message).toMatch(/is not a phone number or WhatsApp JID/);
  });
});

describe('expandMentionTemplate', () => {
  const mentions = ['081111111111', '+62 822-2222-2222', '6283333333333@s.whatsapp.net'];
  const jids = ['6281111111111@s.whatsapp.net', '6282222222222@s.whatsapp.net', '6283333333333@s.whatsapp.net'];

  it('fills {m1}, {mention2} and {mention[2]} with the numbers and lists every JID', () => {
    expect(expandMentionTemplate('Halo {m1}, {mention2} dan {mention[2]}!', mentions, '62')).toEqual({
      text: 'Halo @6281111111111, @6282222222222 dan @6283333333333!',
      mentions: jids,
    });
  });

  it('fills {mentions} with everyone', () => {
    expect(expandMentionTemplate('Rapat jam 9: {mentions}', mentions, '62').text).toBe('Rapat jam 9: @6281111111111 @6282222222222 @6283333333333');
  });

  it('mentions every listed number even without a placeholder, each once', () => {
    expect(expandMentionTemplate('Halo semua', [...mentions, '081111111111'], '62')).toEqual({ text: 'Halo semua', mentions: jids });
  });

  it('leaves unknown braces alone', () => {
    expect(expandMentionTemplate('{name} {m1}', mentions, '62').text).toBe('{name} @6281111111111');
  });

  it.each([
    ['{m4}', 'it refers to mention 4 but 3 were given'],
    ['{mention[3]}', 'it refers to mention 3 but 3 were given'],
    ['{m0}', 'placeholders like {m0} count from 1'],
  ])('rejects %s naming the placeholder', (template, reason) => {
    const error = rejection(() => expandMentionTemplate(template, mentions, '62'));
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.message).toBe(`Placeholder ${template} cannot be filled: ${reason}`);
  });

  it('rejects a mention that is not a person', () => {
    expect(rejection(() => expandMentionTemplate('{m1}', ['120363041234567890@g.us'], '62')).message).toContain('mentions[0] is a group');
    expect(rejection(() => expandMentionTemplate('{m1}', ['budi'], '62')).message).toContain('it contains letters');
  });
});
