import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import {
  AppError,
  WORKER_COMMANDS,
  type OutboundContent,
  type ParticipantAction,
  type WorkerCommand,
  type WorkerRequest,
  type WorkerResponse,
} from '@app/contracts';
import { expandMentionTemplate } from '@app/recipients';
import { SessionCommandRouter } from '@app/transport';
import type { UploadedMediaFile } from '../media/media-intake.types';
import type { SendResultDto } from '../messages/dto/send-message.dto';
import { MessagesService } from '../messages/messages.service';
import type { CreateGroupDto, GroupMediaDto, GroupMentionDto, GroupTextDto } from './dto/group-requests.dto';
import type { GroupDto, GroupInviteDto, ParticipantsResultDto } from './dto/group-view.dto';
import { participantJidOf } from './group-jid.pipe';

const INVITE_LINK_BASE = 'https://chat.whatsapp.com/';

/** People by the request field they came in (a path parameter, or a body list), so a 400 names the field. */
export type PeopleByField = Record<string, string | string[] | undefined>;

export interface GroupSend {
  sessionId: string;
  groupJid: string;
  idempotencyKey?: string;
  traceId: string;
}

/**
 * Seed 002 groups. Groups live in WhatsApp, so every read and change is a command to the worker
 * holding the session; messages to a group go through the session's outbox like any send.
 */
@Injectable()
export class GroupsService {
  constructor(
    private readonly router: SessionCommandRouter,
    private readonly messages: MessagesService,
    private readonly config: GatewayConfig,
  ) {}

  async list(sessionId: string, traceId: string): Promise<GroupDto[]> {
    return (await this.command(sessionId, WORKER_COMMANDS.groupList, { sessionId, traceId })).groups;
  }

  create(sessionId: string, body: CreateGroupDto, traceId: string): Promise<GroupDto> {
    const participants = this.jidsOf({ participants: body.participants });
    return this.command(sessionId, WORKER_COMMANDS.groupCreate, { sessionId, subject: body.subject, participants, traceId });
  }

  info(sessionId: string, groupJid: string, traceId: string): Promise<GroupDto> {
    return this.command(sessionId, WORKER_COMMANDS.groupInfo, { sessionId, groupJid, traceId });
  }

  async changeParticipants(
    sessionId: string,
    groupJid: string,
    action: ParticipantAction,
    people: PeopleByField,
    traceId: string,
  ): Promise<ParticipantsResultDto> {
    const participants = this.jidsOf(people);
    const { results } = await this.command(sessionId, WORKER_COMMANDS.groupParticipants, { sessionId, groupJid, action, participants, traceId });
    return {
      groupId: groupJid,
      action,
      changed: results.filter((result) => result.outcome === 'done').length,
      results: results.map((result) => ({ ...result, phone: /^(\d+)@s\.whatsapp\.net$/.exec(result.jid)?.[1] ?? null })),
    };
  }

  async invite(sessionId: string, groupJid: string, revoke: boolean, traceId: string): Promise<GroupInviteDto> {
    const { code } = await this.command(sessionId, WORKER_COMMANDS.groupInvite, { sessionId, groupJid, revoke, traceId });
    return { groupId: groupJid, code, link: `${INVITE_LINK_BASE}${code}`, revoked: revoke };
  }

  async sendText(send: GroupSend, body: GroupTextDto): Promise<SendResultDto> {
    await this.info(send.sessionId, send.groupJid, send.traceId);
    return this.send(send, { kind: 'text', text: body.message, quotedMessageId: body.quotedMessageId, mentions: this.messages.mentions(body.mentions) });
  }

  /** Seed 002 mention message: placeholders become `@<number>` and every listed person is mentioned. */
  async sendMention(send: GroupSend, body: GroupMentionDto): Promise<SendResultDto> {
    const { text, mentions } = expandMentionTemplate(body.message, body.mentions, this.config.DEFAULT_COUNTRY_CODE);
    await this.info(send.sessionId, send.groupJid, send.traceId);
    return this.send(send, { kind: 'text', text, mentions });
  }

  async sendMedia(send: GroupSend, body: GroupMediaDto, file: UploadedMediaFile | undefined): Promise<SendResultDto> {
    await this.info(send.sessionId, send.groupJid, send.traceId);
    const { content, previewPath } = await this.messages.mediaContent(send.sessionId, { ...body, to: send.groupJid }, file);
    const result = await this.send(send, content);
    return previewPath ? { ...result, previewPath } : result;
  }

  /** The one send path (outbox); `info` before it answers 404/403 for a group the account is not in, instead of failed retries. */
  private send({ sessionId, groupJid, idempotencyKey, traceId }: GroupSend, content: OutboundContent): Promise<SendResultDto> {
    return this.messages.send({ sessionId, to: groupJid, content, idempotencyKey, traceId });
  }

  /** Numbers or JIDs as the client wrote them → JIDs, each once. */
  private jidsOf(people: PeopleByField): string[] {
    const countryCode = this.config.DEFAULT_COUNTRY_CODE;
    const jids = Object.entries(people).flatMap(([field, value]) => {
      if (value === undefined) return [];
      if (typeof value === 'string') return [participantJidOf(value, countryCode, field)];
      return value.map((entry, index) => participantJidOf(entry, countryCode, `${field}[${index}]`));
    });
    return [...new Set(jids)];
  }

  /** Group commands need a connected session (SESSION_NOT_READY or SESSION_NOT_CONNECTED otherwise, like sends). */
  private async command<C extends WorkerCommand>(sessionId: string, command: C, request: WorkerRequest<C>): Promise<WorkerResponse<C>> {
    await this.messages.requireConnected(sessionId);
    try {
      return await this.router.send(sessionId, command, request);
    } catch (error) {
      // Connected in the database but held by no worker right now (a hand-over is in progress).
      if (error instanceof AppError && error.code === 'WORKER_NOT_OWNER') {
        throw new AppError('SESSION_NOT_READY', `Session ${sessionId} is moving to another worker; retry in a few seconds`);
      }
      throw error;
    }
  }
}
