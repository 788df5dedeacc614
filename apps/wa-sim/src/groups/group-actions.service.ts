import { Injectable } from '@nestjs/common';
import type { Phone } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { SimError } from '../common/sim-error';
import { node } from '../protocol/binary-node';
import { GroupNotifier } from './group-notifier.service';
import { groupNode, memberAttrs, participantNode } from './group-nodes';
import { GroupRegistry, type NewGroup, type ParticipantAction, type ParticipantChange } from './group-registry.service';
import { findParticipant, isAdmin, type Group } from './group.model';
import { SenderKeyStore } from './sender-key-store.service';

/**
 * What members may do to a group, whether a companion asks (`w:g2` iqs) or the control API acts
 * for a phone: the rules, the change, and the `w:gp2` notifications. Refusals are SimErrors with
 * HTTP-like statuses, which the iq handler turns into `<error code>` replies.
 */
@Injectable()
export class GroupActions {
  constructor(
    private readonly groups: GroupRegistry,
    private readonly phones: PhoneRegistry,
    private readonly notifier: GroupNotifier,
    private readonly senderKeys: SenderKeyStore,
  ) {}

  /** `key` is the creating client's own reference, echoed in the `create` notification. */
  create(request: NewGroup, key?: string): Group {
    const group = this.groups.create(request);
    this.notifier.notify(group, group.creatorPhoneNumber, node('create', key ? { key } : {}, [groupNode(this.phones, group)]));
    return group;
  }

  requireMember(group: Group, phone: Phone): void {
    if (!findParticipant(group, phone.phoneNumber)) {
      throw new SimError('NOT_A_MEMBER', `${phone.phoneNumber} is not a member of ${group.id}`, 403);
    }
  }

  changeParticipants(group: Group, actor: Phone, action: ParticipantAction, targets: Phone[]): ParticipantChange[] {
    this.requireAdmin(group, actor);
    const before = new Map(group.participants.map((participant) => [participant.phoneNumber, { ...participant }]));
    const changes = this.groups.changeParticipants(group, action, targets);
    const done = changes.filter((change) => change.status === 200).map((change) => change.phone.phoneNumber);
    if (done.length === 0) return changes;
    const affected = done.map((phoneNumber) => findParticipant(group, phoneNumber) ?? before.get(phoneNumber)!);
    const removed = action === 'remove' ? done : [];
    const content = node(
      action,
      {},
      affected.map((participant) => participantNode(this.phones, group, participant)),
    );
    this.notifier.notify(group, actor.phoneNumber, content, removed);
    if (removed.length) this.senderKeys.rotate(group.id);
    return changes;
  }

  /** WhatsApp reports a self-removal as `remove` of the actor, which Baileys shows as "left". */
  leave(group: Group, phone: Phone): void {
    this.requireMember(group, phone);
    this.groups.leave(group, phone.phoneNumber);
    const content = node('remove', {}, [participantNode(this.phones, group, { phoneNumber: phone.phoneNumber })]);
    this.notifier.notify(group, phone.phoneNumber, content, [phone.phoneNumber]);
    this.senderKeys.rotate(group.id);
  }

  inviteCode(group: Group, actor: Phone): string {
    this.requireAdmin(group, actor);
    return group.inviteCode;
  }

  revokeInvite(group: Group, actor: Phone): string {
    this.requireAdmin(group, actor);
    const code = this.groups.revokeInvite(group);
    this.notifier.notify(group, actor.phoneNumber, node('invite', { code }));
    return code;
  }

  /** Joins by invite code; joining a group one is already in is a no-op, as on WhatsApp. */
  acceptInvite(code: string, phone: Phone): Group {
    const group = this.groups.findByInviteCode(code);
    if (!group) throw SimError.notFound('INVITE_NOT_FOUND', `no group with invite code ${code}`);
    if (findParticipant(group, phone.phoneNumber)) return group;
    this.groups.changeParticipants(group, 'add', [phone]);
    const content = node('add', { reason: 'invite' }, [participantNode(this.phones, group, { phoneNumber: phone.phoneNumber })]);
    this.notifier.notify(group, phone.phoneNumber, content);
    return group;
  }

  setSubject(group: Group, actor: Phone, subject: string): void {
    this.requireMember(group, actor);
    this.groups.setSubject(group, subject, actor);
    const attrs = { subject, s_t: String(group.subjectTime), ...memberAttrs(this.phones, group, 's_o', actor.phoneNumber) };
    this.notifier.notify(group, actor.phoneNumber, node('subject', attrs));
  }

  /** `text` undefined deletes the description. */
  setDescription(group: Group, actor: Phone, id: string, text: string | undefined): void {
    this.requireMember(group, actor);
    this.groups.setDescription(group, id, text, actor);
    const content =
      text === undefined ? node('description', { id, delete: 'true' }) : node('description', { id }, [node('body', {}, Buffer.from(text, 'utf8'))]);
    this.notifier.notify(group, actor.phoneNumber, content);
  }

  private requireAdmin(group: Group, actor: Phone): void {
    this.requireMember(group, actor);
    if (!isAdmin(findParticipant(group, actor.phoneNumber))) {
      throw new SimError('NOT_GROUP_ADMIN', `${actor.phoneNumber} is not an admin of ${group.id}`, 403);
    }
  }
}
