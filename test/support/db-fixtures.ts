import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../libs/db/src/generated/client';
import { requiredEnv } from './test-env';

/** Direct database access for arranging test data (the code under test goes through repositories). */
export class DbFixtures {
  readonly prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: requiredEnv('DATABASE_URL') }) });

  async user(overrides: { role?: 'admin' | 'user' | 'readonly'; email?: string } = {}): Promise<{ id: string; email: string }> {
    return this.prisma.user.create({
      data: {
        email: overrides.email ?? `user-${randomUUID()}@test.local`,
        name: 'Test User',
        passwordHash: 'not-a-real-hash',
        role: overrides.role ?? 'user',
      },
      select: { id: true, email: true },
    });
  }

  async session(
    userId: string,
    overrides: Partial<{ id: string; clientUserId: string; webhookUrl: string; webhookEvents: string[]; webhookSecretCipher: string }> = {},
  ) {
    return this.prisma.session.create({
      // A record to test against, not a session to connect: no worker of a later test file picks it up.
      data: { id: overrides.id ?? `s-${randomUUID().slice(0, 8)}`, userId, clientUserId: userId, name: 'Test session', autoConnect: false, ...overrides },
    });
  }

  /** A text message accepted into a session's outbox (not sent). */
  async outboundMessage(sessionId: string): Promise<{ id: string }> {
    return this.prisma.outboundMessage.create({
      data: {
        sessionId,
        waMessageId: `3EB0${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}`,
        toJid: '6281234567890@s.whatsapp.net',
        kind: 'text',
        content: { kind: 'text', text: 'fixture' },
      },
      select: { id: true },
    });
  }

  /** Links the session to a fresh phone number and lists that number as an active allowed number. */
  async allowedNumber(sessionId: string): Promise<{ id: string; whatsappNumber: string }> {
    const phone = `6289${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    await this.prisma.session.update({ where: { id: sessionId }, data: { phone } });
    return this.prisma.allowedNumber.create({ data: { whatsappNumber: phone, sessionId }, select: { id: true, whatsappNumber: true } });
  }

  /** A webhook delivery of the session, delivered (so no deliverer of another test picks it up). */
  async webhookDelivery(sessionId: string, overrides: Partial<{ occurredAt: Date; status: 'pending' | 'delivered' | 'failed' }> = {}): Promise<{ id: string }> {
    const eventId = `fixture:${randomUUID()}`;
    return this.prisma.webhookDelivery.create({
      data: {
        eventId,
        sessionId,
        event: 'session.status',
        url: 'https://hooks.example.com/x',
        payload: { id: eventId },
        status: 'delivered',
        attempts: 1,
        ...overrides,
      },
      select: { id: true },
    });
  }

  close(): Promise<void> {
    return this.prisma.$disconnect();
  }
}
