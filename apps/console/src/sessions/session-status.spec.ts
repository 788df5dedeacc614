import { deliveryLabel, deliveryTone, isFailure, isLinkable, laterDeliveryStatus, sessionStatusLabel, sessionStatusTone } from './session-status';

describe('session and delivery statuses', () => {
  it('names every session status in words, with a tone', () => {
    expect(sessionStatusLabel('awaiting_qr')).toBe('Waiting for QR scan');
    expect(sessionStatusTone('awaiting_qr')).toBe('pending');
    expect([sessionStatusLabel('connected'), sessionStatusTone('connected')]).toEqual(['Connected', 'ok']);
    expect(sessionStatusTone('auth_failed')).toBe('bad');
    expect([sessionStatusLabel('something_new'), sessionStatusTone('something_new')]).toEqual(['something_new', 'idle']);
  });

  it('knows when a phone can link and when a status is a failure', () => {
    expect(['awaiting_qr', 'pairing', 'connected'].map(isLinkable)).toEqual([true, true, false]);
    expect(['logged_out', 'auth_failed', 'error', 'disconnected'].map(isFailure)).toEqual([true, true, true, false]);
  });

  it('moves delivery statuses only forward; failed and cancelled end a message', () => {
    expect(laterDeliveryStatus('sent', 'delivered')).toBe('delivered');
    expect(laterDeliveryStatus('sent', 'read')).toBe('read');
    expect(laterDeliveryStatus('read', 'delivered')).toBe('read');
    expect(laterDeliveryStatus('queued', 'failed')).toBe('failed');
    expect(laterDeliveryStatus('failed', 'sent')).toBe('failed');
    expect([deliveryLabel('read'), deliveryTone('read'), deliveryTone('failed')]).toEqual(['Read', 'ok', 'bad']);
  });
});
