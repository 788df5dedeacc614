import { AppError, type GroupInfo, type ParticipantAction, type ParticipantOutcome, type ParticipantResult } from '@app/contracts';
import { WhatsAppRequestError, type GroupOperations } from '../whatsapp/whatsapp-connection';

/** WhatsApp's per-participant codes in a `w:g2` add / remove / promote / demote answer. */
const OUTCOMES: Record<number, ParticipantOutcome> = {
  200: 'done',
  409: 'already_member',
  404: 'not_found',
  // 403: the superadmin cannot be changed, or (add) the person's privacy settings only allow invite links.
  403: 'not_allowed',
  401: 'not_allowed',
  // 408: the person left the group recently and cannot be added back yet.
  408: 'recently_left',
};

/**
 * The group commands of one connected session (seed 002): WhatsApp's answers in the API's
 * terms. A refusal of the whole request becomes an AppError the gateway passes on as is.
 */
export class SessionGroups {
  constructor(private readonly whatsapp: GroupOperations) {}

  async list(): Promise<{ groups: GroupInfo[] }> {
    const groups = await this.call(() => this.whatsapp.participating());
    return { groups: groups.sort((a, b) => a.subject.localeCompare(b.subject) || a.id.localeCompare(b.id)) };
  }

  create(subject: string, participantJids: string[]): Promise<GroupInfo> {
    return this.call(() => this.whatsapp.create(subject, participantJids));
  }

  info(groupJid: string): Promise<GroupInfo> {
    return this.call(() => this.whatsapp.metadata(groupJid), groupJid);
  }

  async participants(groupJid: string, action: ParticipantAction, participantJids: string[]): Promise<{ results: ParticipantResult[] }> {
    const answers = await this.call(() => this.whatsapp.updateParticipants(groupJid, participantJids, action), groupJid);
    return { results: answers.map(({ jid, status }) => ({ jid, status, outcome: OUTCOMES[status] ?? 'failed' })) };
  }

  async invite(groupJid: string, revoke: boolean): Promise<{ code: string }> {
    const code = await this.call(() => (revoke ? this.whatsapp.revokeInvite(groupJid) : this.whatsapp.inviteCode(groupJid)), groupJid);
    return { code };
  }

  private async call<T>(work: () => Promise<T>, groupJid?: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw error instanceof WhatsAppRequestError ? appErrorOf(error, groupJid) : error;
    }
  }
}

function appErrorOf(error: WhatsAppRequestError, groupJid: string | undefined): AppError {
  const group = groupJid ? `group ${groupJid}` : 'the group';
  const details = { whatsappStatus: error.status, ...(groupJid ? { groupId: groupJid } : {}) };
  switch (error.status) {
    case 401:
      return new AppError('FORBIDDEN', `The session's account is not an admin of ${group}`, details);
    case 403:
      return new AppError('FORBIDDEN', `The session's account is not a member of ${group}`, details);
    case 404:
      return new AppError('NOT_FOUND', `${groupJid ? `Group ${groupJid}` : 'The group'} does not exist`, details);
    case 400:
    case 406:
      return new AppError('INVALID_PAYLOAD', `WhatsApp refused the request for ${group}: ${error.message}`, details);
    case 428:
      return new AppError('SESSION_NOT_READY', `The connection to WhatsApp closed during the request: ${error.message}`, details);
    case 408:
      return new AppError('BAD_GATEWAY', `WhatsApp did not answer the request for ${group} in time`, details);
    default:
      return new AppError('BAD_GATEWAY', `WhatsApp refused the request for ${group} (${error.status}): ${error.message}`, details);
  }
}
