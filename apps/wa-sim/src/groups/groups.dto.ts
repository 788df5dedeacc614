import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PARTICIPANT_ACTIONS, type ParticipantAction } from './group-registry.service';
import type { AddressingMode, GroupRole } from './group.model';

const PHONE = /^\d{6,15}$/;
const ADDRESSING_MODES: AddressingMode[] = ['lid', 'pn'];

export class CreateGroupDto {
  @ApiProperty({ example: '6281234567890', description: 'Creating phone (becomes superadmin); may be a linked account' })
  @Matches(PHONE, { message: 'creator must be 6-15 digits' })
  creator!: string;

  @ApiProperty({ example: 'Tim Toko' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  subject!: string;

  @ApiProperty({ type: [String], example: ['6289876543210'], description: 'Member numbers; unknown ones become contacts' })
  @IsArray()
  @ArrayMaxSize(1024)
  @Matches(PHONE, { each: true, message: 'participants must be 6-15 digits each' })
  participants!: string[];

  @ApiPropertyOptional({ enum: ADDRESSING_MODES, default: 'lid', description: 'How stanzas name members (LID or phone number)' })
  @IsOptional()
  @IsIn(ADDRESSING_MODES)
  addressingMode?: AddressingMode;
}

export class GroupsQuery {
  @ApiPropertyOptional({ description: 'Only groups this phone is a member of' })
  @IsOptional()
  @Matches(PHONE)
  member?: string;
}

export class UpdateParticipantsDto {
  @ApiProperty({ example: '6281234567890', description: 'Acting member phone; must be an admin' })
  @Matches(PHONE, { message: 'actor must be 6-15 digits' })
  actor!: string;

  @ApiProperty({ enum: PARTICIPANT_ACTIONS })
  @IsIn(PARTICIPANT_ACTIONS)
  action!: ParticipantAction;

  @ApiProperty({ type: [String], example: ['6289876543210'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1024)
  @Matches(PHONE, { each: true, message: 'participants must be 6-15 digits each' })
  participants!: string[];
}

export class GroupTextDto {
  @ApiProperty({ example: '6289876543210', description: 'Sending member phone' })
  @Matches(PHONE, { message: 'from must be 6-15 digits' })
  from!: string;

  @ApiProperty({ example: 'Halo semua!' })
  @IsString()
  @MinLength(1)
  @MaxLength(65_536)
  text!: string;

  @ApiPropertyOptional({ type: [String], example: ['6281234567890'], description: "Mentioned numbers (written in the group's addressing) or JIDs" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  mentions?: string[];

  @ApiPropertyOptional({ description: 'Id of the message this one replies to' })
  @IsOptional()
  @IsString()
  quotedMessageId?: string;
}

export class GroupParticipantView {
  @ApiProperty() phoneNumber!: string;
  @ApiProperty({ example: '6281234567890@s.whatsapp.net' }) jid!: string;
  @ApiProperty({ example: '100000000000001@lid' }) lid!: string;
  @ApiProperty({ enum: ['superadmin', 'admin', 'member'] }) role!: GroupRole;
}

export class GroupView {
  @ApiProperty({ example: '120363000000000001@g.us' }) id!: string;
  @ApiProperty() subject!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty() creator!: string;
  @ApiProperty({ description: 'Unix seconds' }) creation!: number;
  @ApiProperty({ enum: ADDRESSING_MODES }) addressingMode!: AddressingMode;
  @ApiProperty() inviteCode!: string;
  @ApiProperty({ type: [GroupParticipantView] }) participants!: GroupParticipantView[];
}

export class ParticipantChangeView {
  @ApiProperty() phoneNumber!: string;
  @ApiProperty({ description: '200 done, 403 superadmin untouchable, 404 not a member, 409 already a member' })
  status!: number;
}

export class ParticipantsUpdateView {
  @ApiProperty({ type: [ParticipantChangeView] }) results!: ParticipantChangeView[];
  @ApiProperty({ type: GroupView }) group!: GroupView;
}

export class InviteView {
  @ApiProperty() code!: string;
  @ApiProperty({ example: 'https://chat.whatsapp.com/AbCdEf' }) link!: string;
}

export class GroupDeliveryResultView {
  @ApiProperty() messageId!: string;
  @ApiProperty({ example: { '6281234567890': { 1: 'sent' } }, description: 'Per member account with companions: per device, sent or queued' })
  accounts!: Record<string, Record<number, string>>;
}
