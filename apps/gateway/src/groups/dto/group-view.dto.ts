import { ApiProperty } from '@nestjs/swagger';
import { GROUP_ROLES, PARTICIPANT_ACTIONS, PARTICIPANT_OUTCOMES, type GroupRole, type ParticipantAction, type ParticipantOutcome } from '@app/contracts';

export class GroupParticipantDto {
  @ApiProperty({ example: '100000000000001@lid', description: 'How the group names the member: a LID in LID-addressed groups, else the phone JID' })
  jid!: string;

  @ApiProperty({ type: String, nullable: true, example: '6281234567890', description: 'Phone number, when WhatsApp tells it' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '100000000000001@lid' })
  lid!: string | null;

  @ApiProperty({ enum: GROUP_ROLES })
  role!: GroupRole;
}

/** A group read live from WhatsApp. */
export class GroupDto {
  @ApiProperty({ example: '120363041234567890@g.us', description: 'Use it as `{groupId}`' })
  id!: string;

  @ApiProperty({ example: 'Nama Grup' })
  subject!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '6281234567890@s.whatsapp.net', description: 'The creator' })
  owner!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  createdAt!: string | null;

  @ApiProperty({ example: 3, description: 'Number of members' })
  size!: number;

  @ApiProperty({ enum: ['lid', 'pn'], description: "How WhatsApp names members: by LID (today's default) or by phone number" })
  addressingMode!: 'lid' | 'pn';

  @ApiProperty({ description: 'Only admins may send messages' })
  announce!: boolean;

  @ApiProperty({ description: 'Only admins may edit the group settings' })
  restrict!: boolean;

  @ApiProperty({ type: [GroupParticipantDto] })
  participants!: GroupParticipantDto[];
}

export class ParticipantChangeDto {
  @ApiProperty({ example: '6281234567890@s.whatsapp.net' })
  jid!: string;

  @ApiProperty({ type: String, nullable: true, example: '6281234567890' })
  phone!: string | null;

  @ApiProperty({ example: 200, description: "WhatsApp's status for this participant" })
  status!: number;

  @ApiProperty({
    enum: PARTICIPANT_OUTCOMES,
    description:
      '`done`; `already_member` (add); `not_found`: not a member (remove, promote, demote) or unknown to WhatsApp (add); ' +
      "`not_allowed`: the superadmin cannot be changed, or the person's privacy settings only allow invite links; " +
      '`recently_left`: cannot be added back yet; `failed`: any other refusal',
  })
  outcome!: ParticipantOutcome;
}

/** WhatsApp answers per participant: a bulk change can partly succeed. */
export class ParticipantsResultDto {
  @ApiProperty({ example: '120363041234567890@g.us' })
  groupId!: string;

  @ApiProperty({ enum: PARTICIPANT_ACTIONS })
  action!: ParticipantAction;

  @ApiProperty({ example: 2, description: 'Participants actually changed (outcome `done`)' })
  changed!: number;

  @ApiProperty({ type: [ParticipantChangeDto] })
  results!: ParticipantChangeDto[];
}

export class GroupInviteDto {
  @ApiProperty({ example: '120363041234567890@g.us' })
  groupId!: string;

  @ApiProperty({ example: 'AbCdEfGhIjKlMnOpQrStUv' })
  code!: string;

  @ApiProperty({ example: 'https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv' })
  link!: string;

  @ApiProperty({ description: 'Whether this request revoked the previous link (it no longer works)' })
  revoked!: boolean;
}
