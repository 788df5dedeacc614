import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { proto } from '@whiskeysockets/baileys';
import { lidJid, pnJid } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { MessageLog, type SentMessageRecord } from '../messaging/message-log.service';
import { GroupActions } from './group-actions.service';
import { GroupMessaging } from './group-messaging.service';
import { GroupRegistry } from './group-registry.service';
import { groupJid, memberJids, type Group } from './group.model';
import {
  CreateGroupDto,
  GroupDeliveryResultView,
  GroupsQuery,
  GroupTextDto,
  GroupView,
  InviteView,
  ParticipantsUpdateView,
  UpdateParticipantsDto,
} from './groups.dto';

/** Groups from the phones' side: create, inspect, change members (companions get notified), talk. */
@ApiTags('groups')
@Controller('groups')
export class GroupsController {
  constructor(
    private readonly phones: PhoneRegistry,
    private readonly groups: GroupRegistry,
    private readonly actions: GroupActions,
    private readonly messaging: GroupMessaging,
    private readonly log: MessageLog,
  ) {}

  @Post()
  @ApiOperation({ summary: "A phone creates a group; member accounts' companions get the w:gp2 create notification" })
  @ApiResponse({ status: 201, type: GroupView })
  create(@Body() body: CreateGroupDto): GroupView {
    const creator = this.phones.get(body.creator);
    const participants = body.participants.map((phoneNumber) => this.phones.getOrCreateContact(phoneNumber));
    return this.view(this.actions.create({ creator, subject: body.subject, participants, addressingMode: body.addressingMode }));
  }

  @Get()
  @ApiOperation({ summary: 'Groups, optionally only those a phone is a member of' })
  @ApiResponse({ status: 200, type: [GroupView] })
  list(@Query() query: GroupsQuery): GroupView[] {
    return this.groups.list(query.member).map((group) => this.view(group));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One group (id or JID) with its members and their roles' })
  @ApiResponse({ status: 200, type: GroupView })
  get(@Param('id') id: string): GroupView {
    return this.view(this.groups.get(id));
  }

  @Post(':id/participants')
  @ApiOperation({ summary: "An admin phone adds, removes, promotes or demotes members; members' companions get notified" })
  @ApiResponse({ status: 201, type: ParticipantsUpdateView })
  updateParticipants(@Param('id') id: string, @Body() body: UpdateParticipantsDto): ParticipantsUpdateView {
    const group = this.groups.get(id);
    const targets = body.participants.map((phoneNumber) =>
      body.action === 'add' ? this.phones.getOrCreateContact(phoneNumber) : this.phones.get(phoneNumber),
    );
    const changes = this.actions.changeParticipants(group, this.phones.get(body.actor), body.action, targets);
    return {
      results: changes.map((change) => ({ phoneNumber: change.phone.phoneNumber, status: change.status })),
      group: this.view(group),
    };
  }

  @Get(':id/invite')
  @ApiOperation({ summary: 'The current invite code (companions join with groupAcceptInvite)' })
  @ApiResponse({ status: 200, type: InviteView })
  invite(@Param('id') id: string): InviteView {
    const { inviteCode } = this.groups.get(id);
    return { code: inviteCode, link: `https://chat.whatsapp.com/${inviteCode}` };
  }

  @Post(':id/messages')
  @ApiOperation({
    summary: 'A member phone writes to the group (SKDM once per companion, then skmsg; queued while offline)',
    description: "The companions of every member account receive it; the writer's own companions as their own message (typed on the phone).",
  })
  @ApiResponse({ status: 201, type: GroupDeliveryResultView })
  send(@Param('id') id: string, @Body() body: GroupTextDto): Promise<GroupDeliveryResultView> {
    const group = this.groups.get(id);
    const from = this.phones.get(body.from);
    this.actions.requireMember(group, from);
    return this.messaging.sendFromMember(group, from, this.textMessage(group, body), undefined, true);
  }

  @Get(':id/messages')
  @ApiOperation({ summary: 'What companions sent to the group, decrypted (text, quoted id, mentions, media fields)' })
  messages(@Param('id') id: string): SentMessageRecord[] {
    return this.log.listSent({ to: groupJid(this.groups.get(id)) });
  }

  /** Mentions and the quoted author are written the way the group addresses members. */
  private textMessage(group: Group, body: GroupTextDto): proto.IMessage {
    const addressed = (phoneNumber: string): string => {
      const phone = this.phones.find(phoneNumber);
      return phone ? memberJids(phone, group.addressingMode).jid : pnJid(phoneNumber);
    };
    const mentions = (body.mentions ?? []).map((mention) => (mention.includes('@') ? mention : addressed(mention)));
    const quotedAuthor = body.quotedMessageId
      ? (this.log.findSent(body.quotedMessageId) ?? this.log.findInbound(body.quotedMessageId))?.fromPhoneNumber
      : undefined;
    if (!body.quotedMessageId && mentions.length === 0) return { conversation: body.text };
    return {
      extendedTextMessage: {
        text: body.text,
        contextInfo: {
          ...(body.quotedMessageId ? { stanzaId: body.quotedMessageId, ...(quotedAuthor ? { participant: addressed(quotedAuthor) } : {}) } : {}),
          ...(mentions.length ? { mentionedJid: mentions } : {}),
        },
      },
    };
  }

  private view(group: Group): GroupView {
    return {
      id: groupJid(group),
      subject: group.subject,
      description: group.description?.text,
      creator: group.creatorPhoneNumber,
      creation: group.creation,
      addressingMode: group.addressingMode,
      inviteCode: group.inviteCode,
      participants: group.participants.map((participant) => {
        const phone = this.phones.get(participant.phoneNumber);
        return { phoneNumber: phone.phoneNumber, jid: pnJid(phone.phoneNumber), lid: lidJid(phone.lid), role: participant.role };
      }),
    };
  }
}
