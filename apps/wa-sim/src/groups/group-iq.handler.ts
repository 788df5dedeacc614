import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Phone } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { SimError } from '../common/sim-error';
import { bytesOf, child, children, node, type BinaryNode } from '../protocol/binary-node';
import { IqError, StanzaRouter, type IqRequest } from '../server/stanza-router.service';
import { GroupActions } from './group-actions.service';
import { groupNode } from './group-nodes';
import { GroupRegistry, PARTICIPANT_ACTIONS, type ParticipantAction } from './group-registry.service';
import { groupJid, type Group } from './group.model';

type MemberIqHandler = (request: IqRequest & { query: BinaryNode }, actor: Phone) => BinaryNode[] | void;

/** WhatsApp's error codes for group refusals. */
function toIqError(error: SimError): IqError {
  if (error.code === 'NOT_GROUP_ADMIN') return new IqError(401, 'not-authorized');
  if (error.code === 'NOT_A_MEMBER') return new IqError(403, 'forbidden');
  if (error.status === 404) return new IqError(404, 'item-not-found');
  return new IqError(400, 'bad-request');
}

/**
 * The `w:g2` namespace as Baileys' groups socket uses it: create, metadata query, participating
 * list, add/remove/promote/demote, invite code get/revoke/accept/info, leave, subject, description.
 * Replies have the shapes Baileys parses (`extractGroupMetadata`, per-participant `error`).
 */
@Injectable()
export class GroupIqHandler implements OnModuleInit {
  constructor(
    private readonly router: StanzaRouter,
    private readonly phones: PhoneRegistry,
    private readonly groups: GroupRegistry,
    private readonly actions: GroupActions,
  ) {}

  onModuleInit(): void {
    this.on('create', (request, actor) => this.create(request.query, actor));
    this.on('query', ({ iq }, actor) => [groupNode(this.phones, this.memberGroup(iq, actor))]);
    this.on('participating', (_, actor) => [
      node(
        'groups',
        {},
        this.groups.list(actor.phoneNumber).map((group) => groupNode(this.phones, group)),
      ),
    ]);
    for (const action of PARTICIPANT_ACTIONS) this.on(action, (request, actor) => this.participants(request, actor, action));
    this.on('invite', (request, actor) => this.invite(request, actor));
    this.on('leave', ({ query }, actor) => this.leave(query, actor));
    this.on('subject', ({ iq, query }, actor) => {
      this.actions.setSubject(this.groups.get(iq.attrs.to ?? ''), actor, bytesOf(query)?.toString('utf8') ?? '');
    });
    this.on('description', ({ iq, query }, actor) => {
      const text = query.attrs.delete === 'true' ? undefined : (bytesOf(child(query, 'body'))?.toString('utf8') ?? '');
      const id = query.attrs.id ?? randomBytes(8).toString('hex').toUpperCase();
      this.actions.setDescription(this.groups.get(iq.attrs.to ?? ''), actor, id, text);
    });
  }

  private on(tag: string, handler: MemberIqHandler): void {
    this.router.onIq('w:g2', tag, (request) => {
      const device = request.connection.device;
      if (!device || !request.query) throw new IqError(401, 'not-authorized');
      try {
        return handler({ ...request, query: request.query }, this.phones.get(device.phoneNumber));
      } catch (error) {
        throw error instanceof SimError ? toIqError(error) : error;
      }
    });
  }

  private create(query: BinaryNode, actor: Phone): BinaryNode[] {
    const participants = children(query, 'participant').flatMap((participant) => this.phones.findByJid(participant.attrs.jid ?? '', true) ?? []);
    const group = this.actions.create({ creator: actor, subject: query.attrs.subject ?? '', participants }, query.attrs.key);
    return [groupNode(this.phones, group)];
  }

  private memberGroup(iq: BinaryNode, actor: Phone): Group {
    const group = this.groups.get(iq.attrs.to ?? '');
    this.actions.requireMember(group, actor);
    return group;
  }

  /** Echoes each requested JID, with `error` where that participant was not changed. */
  private participants({ iq, query }: { iq: BinaryNode; query: BinaryNode }, actor: Phone, action: ParticipantAction): BinaryNode[] {
    const group = this.groups.get(iq.attrs.to ?? '');
    const requested = children(query, 'participant').map((participant) => participant.attrs.jid ?? '');
    const targets = requested.map((jid) => this.phones.findByJid(jid, action === 'add'));
    const changes = this.actions.changeParticipants(
      group,
      actor,
      action,
      targets.flatMap((phone) => phone ?? []),
    );
    const results = requested.map((jid, index) => {
      const phone = targets[index];
      const status = phone ? (changes.find((change) => change.phone === phone)?.status ?? 404) : 404;
      return node('participant', status === 200 ? { jid } : { jid, error: String(status) });
    });
    return [node(action, {}, results)];
  }

  /** `code` on `@g.us`: info (get) or accept (set); none, on a group: read (get) or revoke (set). */
  private invite({ iq, query }: { iq: BinaryNode; query: BinaryNode }, actor: Phone): BinaryNode[] {
    const { code } = query.attrs;
    if (code && iq.attrs.type === 'get') {
      const group = this.groups.findByInviteCode(code);
      if (!group) throw new IqError(404, 'item-not-found');
      return [groupNode(this.phones, group)];
    }
    if (code) return [node('group', { jid: groupJid(this.actions.acceptInvite(code, actor)) })];
    const group = this.groups.get(iq.attrs.to ?? '');
    const current = iq.attrs.type === 'get' ? this.actions.inviteCode(group, actor) : this.actions.revokeInvite(group, actor);
    return [node('invite', { code: current })];
  }

  private leave(query: BinaryNode, actor: Phone): BinaryNode[] {
    const left = children(query, 'group').map((entry) => {
      const group = this.groups.get(entry.attrs.id ?? '');
      this.actions.leave(group, actor);
      return node('group', { id: groupJid(group) });
    });
    return [node('leave', {}, left)];
  }
}
