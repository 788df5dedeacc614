import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { UserRole } from '@app/contracts';
import { ScheduleRepository } from '@app/db';
import { ApiKeysService } from '../../apps/gateway/src/api-keys/api-keys.service';
import { AccessTokenService } from '../../apps/gateway/src/auth/access-token.service';
import { SessionTokensService } from '../../apps/gateway/src/session-tokens/session-tokens.service';
import type { DbFixtures } from './db-fixtures';

/** One tenant: an account with a login token, an API key, a session and a session token. */
export interface Tenant {
  user: { id: string; email: string; role: UserRole };
  jwt: string;
  apiKey: { id: string; key: string };
  session: { id: string };
  sessionToken: { id: string; token: string };
  /** A message accepted into the session's outbox. */
  message: { id: string };
  /** The session's phone, listed as an allowed number (history gate). */
  allowedNumber: { id: string; whatsappNumber: string };
  /** A cancelled bulk job of the session (finished, so no scheduler of another test file runs it). */
  bulkJob: { id: string };
  /** A pending scheduled message of the session, due in a day. */
  schedule: { id: string };
  /** A delivered webhook delivery of the session. */
  webhookDelivery: { id: string };
}

/** Accounts and credentials for gateway tests, made through the gateway's own services. */
export class AuthFixtures {
  constructor(
    private readonly app: INestApplication,
    private readonly db: DbFixtures,
  ) {}

  async tenant(role: UserRole = 'user'): Promise<Tenant> {
    const user = await this.db.user({ role, email: `${role}-${randomUUID()}@auth.test` });
    const session = await this.db.session(user.id);
    const message = await this.db.outboundMessage(session.id);
    const allowedNumber = await this.db.allowedNumber(session.id);
    const content = { kind: 'text' as const, text: 'fixture' };
    const to = '6281234567890@s.whatsapp.net';
    const [bulkJob, schedule] = await Promise.all([
      this.db.prisma.bulkJob.create({ data: { sessionId: session.id, kind: 'text', items: [{ to, content }], total: 1, status: 'cancelled' } }),
      this.app
        .get(ScheduleRepository)
        .create({ sessionId: session.id, toJid: to, content, sendAt: new Date(Date.now() + 86_400_000), timezone: 'Asia/Jakarta' }),
    ]);
    const webhookDelivery = await this.db.webhookDelivery(session.id);
    const [jwt, apiKey, sessionToken] = await Promise.all([
      this.jwtFor(user.id),
      this.app.get(ApiKeysService).issue({ ownerId: user.id, name: 'fixture', expiresAt: null }),
      this.app.get(SessionTokensService).issue({ ownerId: session.id, name: 'fixture' }),
    ]);
    return {
      user: { ...user, role },
      jwt,
      apiKey: { id: apiKey.record.id, key: apiKey.secret },
      session: { id: session.id },
      sessionToken: { id: sessionToken.record.id, token: sessionToken.secret },
      message: { id: message.id },
      allowedNumber,
      bulkJob: { id: bulkJob.id },
      schedule: { id: schedule.record.id },
      webhookDelivery,
    };
  }

  async jwtFor(userId: string): Promise<string> {
    return (await this.app.get(AccessTokenService).issue(userId)).accessToken;
  }
}
