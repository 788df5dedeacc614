import { redactUrl } from './logging.module';

describe('request URLs in the logs', () => {
  it('never show a live-events ticket, and keep everything else', () => {
    expect(redactUrl('/events?ticket=wgt_secret123&sessionId=demo')).toBe('/events?ticket=[redacted]&sessionId=demo');
    expect(redactUrl('/events?sessionId=demo&ticket=wgt_secret123')).toBe('/events?sessionId=demo&ticket=[redacted]');
    expect(redactUrl('/sessions/demo?wait=30')).toBe('/sessions/demo?wait=30');
  });
});
