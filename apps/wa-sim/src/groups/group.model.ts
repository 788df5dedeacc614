import { jidDecode } from '@whiskeysockets/baileys';
import { lidJid, pnJid, type Phone } from '../accounts/phone.model';

export type GroupRole = 'superadmin' | 'admin' | 'member';

/** How members are named in the group's stanzas: by LID (WhatsApp's default for new groups) or by number. */
export type AddressingMode = 'lid' | 'pn';

export interface GroupParticipant {
  phoneNumber: string;
  role: GroupRole;
}

interface GroupDescription {
  id: string;
  text: string;
  ownerPhoneNumber: string;
  time: number;
}

/**
 * A group as the server knows it; plain JSON so it persists as is. Members are phones (by number):
 * an account's companions take part through their phone's membership.
 */
export interface Group {
  /** The user part of `<id>@g.us`. */
  id: string;
  subject: string;
  subjectOwnerPhoneNumber: string;
  subjectTime: number;
  description?: GroupDescription;
  creatorPhoneNumber: string;
  creation: number;
  addressingMode: AddressingMode;
  inviteCode: string;
  participants: GroupParticipant[];
}

export const GROUP_SERVER = 'g.us';

export const groupJid = (group: Pick<Group, 'id'>): string => `${group.id}@${GROUP_SERVER}`;

/** `120363…@g.us` or the bare id → the bare id. */
export const groupIdOf = (idOrJid: string): string => (idOrJid.includes('@') ? (jidDecode(idOrJid)?.user ?? '') : idOrJid);

/** A member's JID as the group's stanzas name it, and the other form as its alternate. */
export function memberJids(phone: Phone, mode: AddressingMode): { jid: string; alt: string } {
  return mode === 'lid' ? { jid: lidJid(phone.lid), alt: pnJid(phone.phoneNumber) } : { jid: pnJid(phone.phoneNumber), alt: lidJid(phone.lid) };
}

export const findParticipant = (group: Group, phoneNumber: string): GroupParticipant | undefined =>
  group.participants.find((participant) => participant.phoneNumber === phoneNumber);

export const isAdmin = (participant: GroupParticipant | undefined): boolean => participant?.role === 'admin' || participant?.role === 'superadmin';
