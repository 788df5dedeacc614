import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { AppError, WORKER_COMMANDS, type LiveSessionState, type QrState } from '@app/contracts';
import { SecretBox } from '@app/crypto';
import { SessionRepository, SharedApiKeyRepository, UserRepository, type SessionRecord } from '@app/db';
import { normalizeRecipient } from '@app/recipients';
import { SessionCommandRouter } from '@app/transport';
import { canAccessSession, isAdmin, type Principal } from '../credentials/principal';
import type { CreateSessionDto } from './dto/create-session.dto';
import type { CheckPhoneResultDto, ListSessionsQueryDto } from './dto/session-requests.dto';
import type { LiveStateDto, QrResponseDto, SeedLiveStateDto, SessionDto } from './dto/session-view.dto';
import { QrImageRenderer } from './qr-image.renderer';

/** How long POST /sessions and POST /sessions/{id}/qr wait for a QR (seed 003). */
export const QR_WAIT_MS = 60_000;

/**
 * Sessions as the API sees them: the persisted record joined with what the owning worker knows.
 * Every command goes to the worker holding the session (or the one that will), never to Baileys.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly sharedKeys: SharedApiKeyRepository,
    private readonly router: SessionCommandRouter,
    private readonly qrImages: QrImageRenderer,
    private readonly secrets: SecretBox,
    private readonly config: GatewayConfig,
  ) {}

  /**
   * Seed 003 upsert: creates or updates the session, starts it, and waits for its first QR. As in
   * 003, the stored key is the active `api_keys` token of `userId` when there is one, else `apikey`.
   */
  async create(principal: Principal, body: CreateSessionDto, traceId: string): Promise<SessionDto> {
    const existing = await this.sessions.findById(body.agentId);
    const ownerId = existing ? this.existingOwner(principal, existing, body.ownerId) : await this.newOwner(principal, body.ownerId);
    const clientUserId = body.userId ?? existing?.clientUserId ?? ownerId;
    const apiKey = (await this.sharedKeys.findLatestActiveToken(clientUserId)) ?? body.apikey;
    const record = await this.sessions.upsert({
      id: body.agentId,
      userId: ownerId,
      clientUserId,
      name: body.agentName,
      aiEndpointUrl: body.endpointUrl ?? existing?.aiEndpointUrl ?? null,
      aiApiKeyCipher: apiKey ? this.secrets.seal(apiKey) : (existing?.aiApiKeyCipher ?? null),
    });
    if (record.status !== 'connected' && body.waitForQr !== false) await this.awaitQrIfUnlinked(record.id, traceId);
    return this.view((await this.sessions.findById(record.id)) ?? record, traceId);
  }

  async list(principal: Principal, query: ListSessionsQueryDto): Promise<SessionRecord[]> {
    const ownerId = isAdmin(principal) ? query.ownerId : (principal.userId ?? undefined);
    return this.sessions.list({ userId: ownerId, clientUserId: query.userId, status: query.status });
  }

  async get(sessionId: string, traceId: string): Promise<SessionDto> {
    return this.view(await this.record(sessionId), traceId);
  }

  /** Seed 003: 200 with `deleted: false` when there is no such session. */
  async delete(sessionId: string, traceId: string): Promise<{ id: string; deleted: boolean }> {
    if (!(await this.sessions.findById(sessionId))) return { id: sessionId, deleted: false };
    await this.router.send(sessionId, WORKER_COMMANDS.sessionLogout, { sessionId, traceId });
    return { id: sessionId, deleted: await this.sessions.delete(sessionId) };
  }

  async reconnect(sessionId: string, traceId: string): Promise<SessionDto> {
    await this.record(sessionId);
    await this.router.send(sessionId, WORKER_COMMANDS.sessionReconnect, { sessionId, traceId });
    return this.get(sessionId, traceId);
  }

  async logout(sessionId: string, traceId: string): Promise<SessionDto> {
    await this.record(sessionId);
    await this.router.send(sessionId, WORKER_COMMANDS.sessionLogout, { sessionId, traceId });
    return this.get(sessionId, traceId);
  }

  async wipe(sessionId: string, traceId: string): Promise<SessionDto> {
    await this.record(sessionId);
    await this.router.send(sessionId, WORKER_COMMANDS.sessionWipe, { sessionId, traceId });
    return this.get(sessionId, traceId);
  }

  async qr(sessionId: string, timeoutMs: number, traceId: string): Promise<QrState> {
    const record = await this.record(sessionId);
    if (record.status === 'connected') throw new AppError('CONFLICT', `Session ${sessionId} is linked; it needs no QR`);
    return this.router.send(sessionId, WORKER_COMMANDS.sessionAwaitQr, { sessionId, timeoutMs, traceId }, timeoutMs + 5_000);
  }

  async pairingCode(sessionId: string, phone: string, traceId: string): Promise<{ code: string }> {
    await this.record(sessionId);
    const recipient = normalizeRecipient(phone, this.config.DEFAULT_COUNTRY_CODE);
    if (recipient.kind !== 'user' || !recipient.phone) throw new AppError('INVALID_PAYLOAD', 'phone must be a phone number');
    return this.router.send(sessionId, WORKER_COMMANDS.sessionPairingCode, { sessionId, phone: recipient.phone, traceId }, 30_000);
  }

  /** Seed 001: whether a phone is already linked to an active session (of anyone). */
  async checkPhone(principal: Principal, phoneNumber: string): Promise<CheckPhoneResultDto> {
    const recipient = normalizeRecipient(phoneNumber, this.config.DEFAULT_COUNTRY_CODE);
    if (recipient.kind !== 'user' || !recipient.phone) throw new AppError('INVALID_PAYLOAD', 'phoneNumber must be a phone number');
    const holder = await this.sessions.findActiveByPhone(recipient.phone);
    if (!holder) return { hasActiveSession: false };
    const visible = isAdmin(principal) || holder.userId === principal.userId;
    return visible ? { hasActiveSession: true, sessionId: holder.id } : { hasActiveSession: true };
  }

  /** Seed 001: removes the caller's sessions (all, for admins) not connected for `hours`. */
  async cleanup(principal: Principal, hours: number, traceId: string): Promise<string[]> {
    const cutoff = new Date(Date.now() - hours * 3_600_000);
    const stale = await this.sessions.listInactiveSince(cutoff, isAdmin(principal) ? undefined : (principal.userId ?? undefined));
    const removed: string[] = [];
    for (const session of stale) {
      if ((await this.delete(session.id, traceId)).deleted) removed.push(session.id);
    }
    return removed;
  }

  async view(record: SessionRecord, traceId: string): Promise<SessionDto> {
    const live = await this.router.sendToOwner(record.id, WORKER_COMMANDS.sessionState, { sessionId: record.id, traceId });
    const qr = live?.qr && live.qrUpdatedAt ? await this.qrImage({ qr: live.qr, qrUpdatedAt: live.qrUpdatedAt }) : null;
    return {
      id: record.id,
      agentId: record.id,
      userId: record.clientUserId,
      ownerId: record.userId,
      name: record.name,
      agentName: record.name,
      // The owner's view is newer than the row (its last transition may still be on its way).
      status: live?.status ?? record.status,
      phone: record.phone,
      workerId: live?.workerId ?? null,
      autoConnect: record.autoConnect,
      lastError: record.lastError,
      aiEndpointUrl: record.aiEndpointUrl,
      hasApiKey: record.aiApiKeyCipher !== null,
      lastConnectedAt: record.lastConnectedAt?.toISOString() ?? null,
      lastDisconnectedAt: record.lastDisconnectedAt?.toISOString() ?? null,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
      live: live ? liveView(live, qr) : null,
      liveState: seedLiveState(record, live, qr),
    };
  }

  async qrImage(qr: QrState): Promise<{ qr: { contentType: string; base64: string }; qrUpdatedAt: string }> {
    return { qr: { contentType: 'image/png', base64: (await this.qrImages.png(qr.qr)).toString('base64') }, qrUpdatedAt: qr.qrUpdatedAt };
  }

  private async awaitQrIfUnlinked(sessionId: string, traceId: string): Promise<void> {
    try {
      await this.router.send(sessionId, WORKER_COMMANDS.sessionAwaitQr, { sessionId, timeoutMs: QR_WAIT_MS, traceId }, QR_WAIT_MS + 5_000);
    } catch (error) {
      // Linked already (restored instead of showing a QR), or no QR in time: the view tells which.
      if (!(error instanceof AppError) || !['CONFLICT', 'SESSION_NOT_READY'].includes(error.code)) throw error;
    }
  }

  private async record(sessionId: string): Promise<SessionRecord> {
    const record = await this.sessions.findById(sessionId);
    if (!record) throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    return record;
  }

  /** The owner of a new session: the caller, or the user an admin names (who must exist). */
  private async newOwner(principal: Principal, requested: string | undefined): Promise<string> {
    if (!isAdmin(principal)) {
      if (requested && requested !== principal.userId) throw new AppError('FORBIDDEN', 'Only admins create sessions owned by another user');
      return principal.userId!;
    }
    const ownerId = requested ?? principal.userId;
    if (!ownerId) throw new AppError('INVALID_PAYLOAD', 'ownerId is required: ADMIN_API_KEY is no user and cannot own a session');
    if (!(await this.users.findById(ownerId))) throw new AppError('INVALID_PAYLOAD', `ownerId ${ownerId} is not a user of this gateway`);
    return ownerId;
  }

  /** An update keeps the owner; a session another tenant owns is taken (its id cannot be reused). */
  private existingOwner(principal: Principal, existing: SessionRecord, requested: string | undefined): string {
    if (!canAccessSession(principal, existing.id, existing.userId)) throw new AppError('CONFLICT', `Session id ${existing.id} is already taken`);
    if (requested && requested !== existing.userId)
      throw new AppError('CONFLICT', `Session ${existing.id} is owned by another user; ownership does not change`);
    return existing.userId;
  }
}

function liveView(live: LiveSessionState, qr: QrResponseDto | null): LiveStateDto {
  return { isReady: live.connected, status: live.status, workerId: live.workerId, qr, since: live.since };
}

/** Seed 003's `liveState`: with no worker holding the session there is no client and the stored status stands. */
function seedLiveState(record: SessionRecord, live: LiveSessionState | null, qr: QrResponseDto | null): SeedLiveStateDto {
  return {
    // Ready when sends are accepted: the socket is open and its owner has stored `connected` (a
    // moment after the socket opened).
    isReady: live !== null && live.connected && live.status === 'connected',
    hasClient: live !== null,
    sessionState: live?.status ?? record.status,
    qr: qr?.qr ?? null,
    qrUpdatedAt: qr?.qrUpdatedAt ?? null,
    stateSince: live?.since ?? null,
  };
}
