import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { AppError } from '@app/contracts';
import { AllowedNumberRepository, SessionRepository, type AllowedNumberRecord } from '@app/db';
import { normalizeRecipient } from '@app/recipients';
import { isAdmin, type Principal } from '../credentials/principal';
import { AllowedNumberDto, type CreateAllowedNumberDto, type UpdateAllowedNumberDto } from './allowed-number.dto';

/**
 * Seed 002's allowed numbers. They are keyed by a device's own number, not by session, so tenancy
 * follows the number: a user manages the numbers their sessions are linked to (the phone recorded
 * when a session links), nothing else; for other users' numbers the rows do not exist. Admins
 * manage every number, including ones not linked yet (to allow history from the first message).
 */
@Injectable()
export class AllowedNumbersService {
  constructor(
    private readonly numbers: AllowedNumberRepository,
    private readonly sessions: SessionRepository,
    private readonly config: GatewayConfig,
  ) {}

  async list(principal: Principal, whatsappNumber: string | undefined): Promise<AllowedNumberDto[]> {
    const only = whatsappNumber === undefined ? undefined : this.phone(whatsappNumber);
    const scope = isAdmin(principal) ? undefined : [...(await this.ownNumbers(principal)).keys()];
    return (await this.numbers.list(scope, only)).map(AllowedNumberDto.from);
  }

  async create(principal: Principal, body: CreateAllowedNumberDto): Promise<AllowedNumberDto> {
    const whatsappNumber = this.phone(body.whatsappNumber);
    const linkedSession = (await this.ownNumbers(principal)).get(whatsappNumber);
    if (!isAdmin(principal)) {
      if (!linkedSession) throw new AppError('FORBIDDEN', `${whatsappNumber} is not the number of one of your sessions`);
      if (body.sessionId && body.sessionId !== linkedSession)
        throw new AppError('INVALID_PAYLOAD', `${whatsappNumber} is linked to session ${linkedSession}, not ${body.sessionId}`);
    }
    const sessionId = body.sessionId ?? linkedSession ?? (await this.sessions.findActiveByPhone(whatsappNumber))?.id ?? null;
    return AllowedNumberDto.from(await this.numbers.create({ whatsappNumber, sessionId, status: body.status ?? 'active' }));
  }

  async update(principal: Principal, id: string, body: UpdateAllowedNumberDto): Promise<AllowedNumberDto> {
    const row = await this.visible(principal, id);
    return AllowedNumberDto.from(body.status === undefined ? row : await this.numbers.updateStatus(row.id, body.status));
  }

  async delete(principal: Principal, id: string): Promise<boolean> {
    return this.numbers.delete((await this.visible(principal, id)).id);
  }

  private async visible(principal: Principal, id: string): Promise<AllowedNumberRecord> {
    const row = await this.numbers.find(id);
    const mine = row && (isAdmin(principal) || (await this.ownNumbers(principal)).has(row.whatsappNumber));
    if (!row || !mine) throw new AppError('NOT_FOUND', `Allowed number ${id} does not exist`);
    return row;
  }

  /** The numbers the caller's sessions are linked to, each with its session. */
  private async ownNumbers(principal: Principal): Promise<Map<string, string>> {
    if (!principal.userId) return new Map();
    const sessions = await this.sessions.list({ userId: principal.userId });
    return new Map(sessions.filter((session) => session.phone).map((session) => [session.phone!, session.id]));
  }

  private phone(input: string): string {
    const recipient = normalizeRecipient(input, this.config.DEFAULT_COUNTRY_CODE);
    if (!recipient.phone) throw new AppError('INVALID_PAYLOAD', 'whatsappNumber must be a phone number');
    return recipient.phone;
  }
}
