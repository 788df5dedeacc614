import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { SendMediaDto } from '../../messages/dto/send-message.dto';

/** WhatsApp groups hold at most 1024 members, the creator included. */
const MAX_PARTICIPANTS = 1023;
const PEOPLE = 'Numbers (+62…, 62…, 0… with the default country code) or user JIDs (…@s.whatsapp.net, …@lid)';

/** A list of one or more numbers or JIDs, no more than a group can hold. */
const PersonList = () => applyDecorators(IsArray(), ArrayMinSize(1), ArrayMaxSize(MAX_PARTICIPANTS), IsString({ each: true }), Length(3, 100, { each: true }));

/** Seed 002 create group. */
export class CreateGroupDto {
  @ApiProperty({ example: 'Nama Grup', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  subject!: string;

  @ApiProperty({ type: [String], example: ['6281234567890', '6281234567891'], description: `${PEOPLE}; the session's account becomes the group's superadmin` })
  @PersonList()
  participants!: string[];
}

/** Seed 002 invite participants (bulk add). */
export class GroupParticipantsDto {
  @ApiProperty({ type: [String], example: ['6281234567890', '6281234567891'], description: PEOPLE })
  @PersonList()
  participants!: string[];
}

/** Seed 002 promote admin: `adminJid` (one member), or `participants` (several at once). */
export class GroupAdminsDto {
  @ApiPropertyOptional({ example: '6281234567890', description: `The member to promote (seed 002); required unless \`participants\` is given. ${PEOPLE}` })
  // Checked when given, and required when `participants` is not.
  @ValidateIf((body: GroupAdminsDto) => body.adminJid !== undefined || body.participants === undefined)
  @IsString()
  @Length(3, 100)
  adminJid?: string;

  @ApiPropertyOptional({ type: [String], example: ['6281234567890'], description: `Members to promote; required unless \`adminJid\` is given. ${PEOPLE}` })
  @ValidateIf((body: GroupAdminsDto) => body.participants !== undefined || body.adminJid === undefined)
  @PersonList()
  participants?: string[];
}

/** Seed 002 send group message. */
export class GroupTextDto {
  @ApiProperty({ example: 'Halo semua', maxLength: 4096 })
  @IsString()
  @Length(1, 4096)
  message!: string;

  @ApiPropertyOptional({ description: 'WhatsApp id of the group message to reply to' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  quotedMessageId?: string;

  @ApiPropertyOptional({ type: [String], example: ['6281234567890'], description: `People to mention (write @<number> in the text to show it). ${PEOPLE}` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  mentions?: string[];
}

/** Seed 002 mention message: placeholders in `message` are filled from `mentions`. */
export class GroupMentionDto {
  @ApiProperty({
    example: 'Halo {m1} dan {m2}, rapat jam 9. Cc {mentions}',
    maxLength: 4096,
    description:
      '`{m1}` / `{mention1}` (counted from 1), `{mention[0]}` (counted from 0) become `@<number>` of that mention; `{mentions}` becomes all of them. ' +
      'Every listed person is mentioned even without a placeholder; a placeholder without its mention is a 400.',
  })
  @IsString()
  @Length(1, 4096)
  message!: string;

  @ApiProperty({ type: [String], example: ['6281234567890', '6281234567891'], description: PEOPLE })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(256)
  @IsString({ each: true })
  mentions!: string[];
}

/** Seed 002 send group media: the contact media body without `to` (the group is in the path). */
export class GroupMediaDto extends OmitType(SendMediaDto, ['to'] as const) {}
