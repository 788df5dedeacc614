import { randomBytes, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Phone } from '../accounts/phone.model';
import { SimError } from '../common/sim-error';
import { SimStateStore } from '../persistence/sim-state-store';
import { findParticipant, groupIdOf, type AddressingMode, type Group } from './group.model';

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote';

export const PARTICIPANT_ACTIONS: ParticipantAction[] = ['add', 'remove', 'promote', 'demote'];

/** Per affected phone, the HTTP-like status WhatsApp puts in a participant's `error` attribute (200 = done). */
export interface ParticipantChange {
  phone: Phone;
  status: number;
}

export interface NewGroup {
  creator: Phone;
  subject: string;
  participants: Phone[];
  addressingMode?: AddressingMode;
}

const FOLDER = 'groups';

const newInviteCode = (): string => randomBytes(16).toString('base64url').slice(0, 22);

/** Every group, persisted one file per group, with the membership rules the server enforces. */
@Injectable()
export class GroupRegistry {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly state: SimStateStore) {
    for (const key of state.files.list(FOLDER)) {
      const group = state.files.read<Group>(key);
      if (group) this.groups.set(group.id, group);
    }
  }

  create(request: NewGroup): Group {
    const now = Math.floor(Date.now() / 1000);
    const members = request.participants.filter((phone) => phone.phoneNumber !== request.creator.phoneNumber);
    const group: Group = {
      id: this.newGroupId(),
      subject: request.subject,
      subjectOwnerPhoneNumber: request.creator.phoneNumber,
      subjectTime: now,
      creatorPhoneNumber: request.creator.phoneNumber,
      creation: now,
      addressingMode: request.addressingMode ?? 'lid',
      inviteCode: newInviteCode(),
      participants: [
        { phoneNumber: request.creator.phoneNumber, role: 'superadmin' },
        ...[...new Set(members.map((phone) => phone.phoneNumber))].map((phoneNumber) => ({ phoneNumber, role: 'member' as const })),
      ],
    };
    this.groups.set(group.id, group);
    this.save(group);
    return group;
  }

  find(idOrJid: string): Group | undefined {
    return this.groups.get(groupIdOf(idOrJid));
  }

  get(idOrJid: string): Group {
    const group = this.find(idOrJid);
    if (!group) throw SimError.notFound('GROUP_NOT_FOUND', `no group ${idOrJid}`);
    return group;
  }

  list(memberPhoneNumber?: string): Group[] {
    return [...this.groups.values()].filter((group) => !memberPhoneNumber || findParticipant(group, memberPhoneNumber));
  }

  findByInviteCode(code: string): Group | undefined {
    return [...this.groups.values()].find((group) => group.inviteCode === code);
  }

  /** Applies one action to each phone; the caller has checked that the actor is an admin. */
  changeParticipants(group: Group, action: ParticipantAction, phones: Phone[]): ParticipantChange[] {
    const changes = phones.map((phone) => ({ phone, status: this.apply(group, action, phone.phoneNumber) }));
    this.save(group);
    return changes;
  }

  leave(group: Group, phoneNumber: string): void {
    group.participants = group.participants.filter((participant) => participant.phoneNumber !== phoneNumber);
    this.save(group);
  }

  setSubject(group: Group, subject: string, owner: Phone): void {
    group.subject = subject;
    group.subjectOwnerPhoneNumber = owner.phoneNumber;
    group.subjectTime = Math.floor(Date.now() / 1000);
    this.save(group);
  }

  /** `text` undefined deletes the description. */
  setDescription(group: Group, id: string, text: string | undefined, owner: Phone): void {
    group.description = text === undefined ? undefined : { id, text, ownerPhoneNumber: owner.phoneNumber, time: Math.floor(Date.now() / 1000) };
    this.save(group);
  }

  revokeInvite(group: Group): string {
    group.inviteCode = newInviteCode();
    this.save(group);
    return group.inviteCode;
  }

  private apply(group: Group, action: ParticipantAction, phoneNumber: string): number {
    const participant = findParticipant(group, phoneNumber);
    if (action === 'add') {
      if (participant) return 409;
      group.participants.push({ phoneNumber, role: 'member' });
      return 200;
    }
    if (!participant) return 404;
    // The creator keeps its rights: WhatsApp refuses to demote or remove a superadmin.
    if (participant.role === 'superadmin' && action !== 'promote') return 403;
    if (action === 'remove') group.participants = group.participants.filter((member) => member !== participant);
    else participant.role = action === 'promote' ? 'admin' : 'member';
    return 200;
  }

  private save(group: Group): void {
    this.state.files.write(`${FOLDER}/${group.id}`, () => group);
  }

  /** WhatsApp's modern group ids: `120363` followed by twelve digits. */
  private newGroupId(): string {
    for (;;) {
      const id = `120363${randomInt(0, 1e12).toString().padStart(12, '0')}`;
      if (!this.groups.has(id)) return id;
    }
  }
}
