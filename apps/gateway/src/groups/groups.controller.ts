import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SessionScoped } from '../credentials/auth.decorators';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { TraceId } from '../http/trace-id.decorator';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CreateGroupDto, GroupAdminsDto, GroupParticipantsDto } from './dto/group-requests.dto';
import { GroupDto, GroupInviteDto, ParticipantsResultDto } from './dto/group-view.dto';
import { GroupJidPipe } from './group-jid.pipe';
import { NeedsConnectedSession, OnGroup, ParticipantParam } from './group-route.decorators';
import { GroupsService } from './groups.service';

const PER_PARTICIPANT = 'WhatsApp answers per participant: 200 with each outcome, also when some (or all) were refused.';

/** Seed 002 group management, read live from WhatsApp through the session's worker. */
@ApiTags('groups')
@Controller('sessions/:id/groups')
@SessionScoped()
@NeedsConnectedSession()
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @ApiOperation({ summary: "Groups the session's account is a member of, with their members" })
  @ApiOkResponse({ type: GroupDto, isArray: true })
  list(@Param('id') sessionId: string, @TraceId() traceId: string): Promise<GroupDto[]> {
    return this.groups.list(sessionId, traceId);
  }

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: "Create a group with a subject and members; the session's account becomes its superadmin",
    description: 'Send an Idempotency-Key to retry safely: a retry answers the first group instead of creating another.',
  })
  @ApiCreatedResponse({ type: GroupDto })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto, description: 'INVALID_PAYLOAD: an invalid field, named in details.fields (e.g. `participants[1]`)' })
  create(@Param('id') sessionId: string, @Body() body: CreateGroupDto, @TraceId() traceId: string): Promise<GroupDto> {
    return this.groups.create(sessionId, body, traceId);
  }

  @Get(':groupId')
  @OnGroup()
  @ApiOperation({ summary: 'Group info: subject, description, creator, settings, members and admins' })
  @ApiOkResponse({ type: GroupDto })
  info(@Param('id') sessionId: string, @Param('groupId', GroupJidPipe) groupJid: string, @TraceId() traceId: string): Promise<GroupDto> {
    return this.groups.info(sessionId, groupJid, traceId);
  }

  @Post(':groupId/participants')
  @HttpCode(200)
  @OnGroup()
  @ApiOperation({ summary: "Add members (bulk); the session's account must be an admin", description: PER_PARTICIPANT })
  @ApiOkResponse({ type: ParticipantsResultDto })
  add(
    @Param('id') sessionId: string,
    @Param('groupId', GroupJidPipe) groupJid: string,
    @Body() body: GroupParticipantsDto,
    @TraceId() traceId: string,
  ): Promise<ParticipantsResultDto> {
    return this.groups.changeParticipants(sessionId, groupJid, 'add', { participants: body.participants }, traceId);
  }

  @Delete(':groupId/participants/:participant')
  @OnGroup()
  @ParticipantParam()
  @ApiOperation({ summary: "Remove a member (by number or JID); the session's account must be an admin", description: PER_PARTICIPANT })
  @ApiOkResponse({ type: ParticipantsResultDto })
  remove(
    @Param('id') sessionId: string,
    @Param('groupId', GroupJidPipe) groupJid: string,
    @Param('participant') participant: string,
    @TraceId() traceId: string,
  ): Promise<ParticipantsResultDto> {
    return this.groups.changeParticipants(sessionId, groupJid, 'remove', { participant }, traceId);
  }

  @Post(':groupId/admins')
  @HttpCode(200)
  @OnGroup()
  @ApiOperation({ summary: 'Promote members to admin (`adminJid`, `participants` for several, or both)', description: PER_PARTICIPANT })
  @ApiOkResponse({ type: ParticipantsResultDto })
  promote(
    @Param('id') sessionId: string,
    @Param('groupId', GroupJidPipe) groupJid: string,
    @Body() body: GroupAdminsDto,
    @TraceId() traceId: string,
  ): Promise<ParticipantsResultDto> {
    return this.groups.changeParticipants(sessionId, groupJid, 'promote', { adminJid: body.adminJid, participants: body.participants }, traceId);
  }

  @Delete(':groupId/admins/:participant')
  @OnGroup()
  @ParticipantParam()
  @ApiOperation({ summary: 'Demote an admin to member (by number or JID)', description: PER_PARTICIPANT })
  @ApiOkResponse({ type: ParticipantsResultDto })
  demote(
    @Param('id') sessionId: string,
    @Param('groupId', GroupJidPipe) groupJid: string,
    @Param('participant') participant: string,
    @TraceId() traceId: string,
  ): Promise<ParticipantsResultDto> {
    return this.groups.changeParticipants(sessionId, groupJid, 'demote', { participant }, traceId);
  }

  @Get(':groupId/invite')
  @OnGroup()
  @ApiOperation({ summary: "The group's invite link; the session's account must be an admin" })
  @ApiOkResponse({ type: GroupInviteDto })
  invite(@Param('id') sessionId: string, @Param('groupId', GroupJidPipe) groupJid: string, @TraceId() traceId: string): Promise<GroupInviteDto> {
    return this.groups.invite(sessionId, groupJid, false, traceId);
  }

  @Post(':groupId/invite/revoke')
  @HttpCode(200)
  @OnGroup()
  @ApiOperation({ summary: 'Revoke the invite link and get a new one (the old link stops working)' })
  @ApiOkResponse({ type: GroupInviteDto })
  revokeInvite(@Param('id') sessionId: string, @Param('groupId', GroupJidPipe) groupJid: string, @TraceId() traceId: string): Promise<GroupInviteDto> {
    return this.groups.invite(sessionId, groupJid, true, traceId);
  }
}
