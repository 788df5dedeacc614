import { newWhatsAppMessageId, plainMessageId } from './message-id';

describe('message ids', () => {
  it('reads the WhatsApp id out of whatsapp-web.js names (seed 003 quotedMessageId)', () => {
    expect(plainMessageId('true_6281234567890@c.us_3EB0C431C26A1916E07A')).toBe('3EB0C431C26A1916E07A');
    expect(plainMessageId('false_120363041234567890@g.us_ABCDEF0123456789_6289876543210@c.us')).toBe('ABCDEF0123456789');
    expect(plainMessageId('false_6281234567890@s.whatsapp.net_3A1B2C3D4E5F')).toBe('3A1B2C3D4E5F');
  });

  it('leaves plain ids and anything else as they are', () => {
    const id = newWhatsAppMessageId();
    expect(id).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(plainMessageId(id)).toBe(id);
    expect(plainMessageId('maybe_not@an.id_at all')).toBe('maybe_not@an.id_at all');
  });
});
