import type { SessionRequest } from './worker-rpc';

/** A member's standing in a group as WhatsApp reports it. */
export const GROUP_ROLES = ['superadmin', 'admin', 'member'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

/** What a session's account can do to members of a group it administers (seed 002). */
export const PARTICIPANT_ACTIONS = ['add', 'remove', 'promote', 'demote'] as const;
export type ParticipantAction = (typeof PARTICIPANT_ACTIONS)[number];

/**
 * How one participant fared in an add / remove / promote / demote: WhatsApp answers per
 * participant, so a bulk change can partly succeed.
 */
export const PARTICIPANT_OUTCOMES = ['done', 'already_member', 'not_found', 'not_allowed', 'recently_left', 'failed'] as const;
export type ParticipantOutcome = (typeof PARTICIPANT_OUTCOMES)[number];

export interface GroupParticipantInfo {
  /** How the group names the member: a phone JID, or a LID in LID-addressed groups. */
  jid: string;
  /** Digits with country code when WhatsApp tells them. */
  phone: string | null;
  lid: string | null;
  role: GroupRole;
}

/** A group as the session's account sees it (read live from WhatsApp, never stored). */
export interface GroupInfo {
  id: string;
  subject: string;
  description: string | null;
  /** The creator's JID. */
  owner: string | null;
  createdAt: string | null;
  size: number;
  /** `lid`: WhatsApp names members by LID (today's default), `pn`: by phone number. */
  addressingMode: 'pn' | 'lid';
  /** Only admins may send messages. */
  announce: boolean;
  /** Only admins may edit the group's settings. */
  restrict: boolean;
  participants: GroupParticipantInfo[];
}

export interface ParticipantResult {
  /** The JID the change was asked for. */
  jid: string;
  /** WhatsApp's status for this participant (200 done, 409 already a member, 404 not a member or unknown…). */
  status: number;
  outcome: ParticipantOutcome;
}

export interface GroupRequest extends SessionRequest {
  groupJid: string;
}

export interface GroupCreateRequest extends SessionRequest {
  subject: string;
  /** Member JIDs (the creator is added by WhatsApp). */
  participants: string[];
}

export interface GroupParticipantsRequest extends GroupRequest {
  action: ParticipantAction;
  participants: string[];
}

/** Reads the group's invite code, or replaces it with a new one (`revoke`: the old link stops working). */
export interface GroupInviteRequest extends GroupRequest {
  revoke: boolean;
}
