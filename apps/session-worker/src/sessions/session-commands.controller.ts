import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  WORKER_COMMANDS,
  type AwaitQrRequest,
  type DeliverRequest,
  type GroupCreateRequest,
  type GroupInviteRequest,
  type GroupParticipantsRequest,
  type GroupRequest,
  type PairingCodeRequest,
  type PresenceRequest,
  type SendRequest,
  type SessionRequest,
  type WorkerResponse,
} from '@app/contracts';
import { OfflineSessionCommands } from './offline-session.commands';
import { SessionSupervisor } from './session-supervisor.service';

type Reply<C extends keyof typeof COMMANDS> = Promise<WorkerResponse<(typeof COMMANDS)[C]>>;
const COMMANDS = WORKER_COMMANDS;

/**
 * Session commands. The gateway routes each to the worker holding the session's lease or, when
 * nobody holds it, to the least loaded worker: start-like commands then claim the session here,
 * logout and wipe act on the stored state alone.
 */
@Controller()
export class SessionCommandsController {
  constructor(
    private readonly supervisor: SessionSupervisor,
    private readonly offline: OfflineSessionCommands,
  ) {}

  @MessagePattern(COMMANDS.sessionState)
  async state(@Payload() request: SessionRequest): Reply<'sessionState'> {
    return this.supervisor.runtime(request.sessionId).state();
  }

  @MessagePattern(COMMANDS.sessionAwaitQr)
  async awaitQr(@Payload() request: AwaitQrRequest): Reply<'sessionAwaitQr'> {
    return (await this.supervisor.runtimeOrClaim(request.sessionId)).awaitQr(request.timeoutMs, request.traceId);
  }

  @MessagePattern(COMMANDS.sessionReconnect)
  async reconnect(@Payload() request: SessionRequest): Reply<'sessionReconnect'> {
    if (!this.supervisor.holds(request.sessionId)) return (await this.supervisor.runtimeOrClaim(request.sessionId)).state();
    return this.supervisor.runtime(request.sessionId).reconnect(request.traceId);
  }

  @MessagePattern(COMMANDS.sessionLogout)
  logout(@Payload() request: SessionRequest): Reply<'sessionLogout'> {
    if (!this.supervisor.holds(request.sessionId)) return this.offline.logout(request.sessionId, request.traceId);
    return this.supervisor.runtime(request.sessionId).logout(request.traceId);
  }

  @MessagePattern(COMMANDS.sessionWipe)
  wipe(@Payload() request: SessionRequest): Reply<'sessionWipe'> {
    if (!this.supervisor.holds(request.sessionId)) return this.offline.wipe(request.sessionId, request.traceId);
    return this.supervisor.runtime(request.sessionId).wipe(request.traceId);
  }

  @MessagePattern(COMMANDS.sessionPairingCode)
  async pairingCode(@Payload() request: PairingCodeRequest): Reply<'sessionPairingCode'> {
    return (await this.supervisor.runtimeOrClaim(request.sessionId)).pairingCode(request.phone, request.traceId);
  }

  @MessagePattern(COMMANDS.sessionDeliver)
  async deliver(@Payload() request: DeliverRequest): Reply<'sessionDeliver'> {
    return (await this.supervisor.runtimeOrClaim(request.sessionId)).deliver(request.outboundId, request.waitMs);
  }

  /** Sends are accepted by the holder alone: a session nobody holds is not connected. */
  @MessagePattern(COMMANDS.sessionSend)
  async send(@Payload() request: SendRequest): Reply<'sessionSend'> {
    return this.supervisor.runtimeForSend(request.sessionId).send(request.message, request.waitMs);
  }

  /** Only the holder can show presence: no claim for a session nobody holds (it is not connected). */
  @MessagePattern(COMMANDS.sessionPresence)
  async presence(@Payload() request: PresenceRequest): Reply<'sessionPresence'> {
    await this.supervisor.runtime(request.sessionId).presence(request.chatJid, request.state);
    return { sent: true };
  }

  /** Group commands (seed 002) act on the holder's live connection: no claim, like presence. */
  @MessagePattern(COMMANDS.groupList)
  async groupList(@Payload() request: SessionRequest): Reply<'groupList'> {
    return this.supervisor.runtime(request.sessionId).groups().list();
  }

  @MessagePattern(COMMANDS.groupCreate)
  async groupCreate(@Payload() request: GroupCreateRequest): Reply<'groupCreate'> {
    return this.supervisor.runtime(request.sessionId).groups().create(request.subject, request.participants);
  }

  @MessagePattern(COMMANDS.groupInfo)
  async groupInfo(@Payload() request: GroupRequest): Reply<'groupInfo'> {
    return this.supervisor.runtime(request.sessionId).groups().info(request.groupJid);
  }

  @MessagePattern(COMMANDS.groupParticipants)
  async groupParticipants(@Payload() request: GroupParticipantsRequest): Reply<'groupParticipants'> {
    return this.supervisor.runtime(request.sessionId).groups().participants(request.groupJid, request.action, request.participants);
  }

  @MessagePattern(COMMANDS.groupInvite)
  async groupInvite(@Payload() request: GroupInviteRequest): Reply<'groupInvite'> {
    return this.supervisor.runtime(request.sessionId).groups().invite(request.groupJid, request.revoke);
  }

  @MessagePattern(COMMANDS.sessionRelease)
  async release(@Payload() request: SessionRequest): Reply<'sessionRelease'> {
    return { released: await this.supervisor.release(request.sessionId) };
  }
}
