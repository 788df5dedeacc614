import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUrl, IsUUID, Length, Matches } from 'class-validator';
import { SESSION_ID_PATTERN } from '@app/contracts';

/** Seed clients send their user ids as strings or numbers; both mean the same identifier. */
const numberAsString = ({ value }: { value: unknown }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);

/** Seed 003's body, kept as is: `agentId` is the session id chosen by the client. */
export class CreateSessionDto {
  @ApiProperty({ example: 'support-bot', description: 'Session id: 3-50 letters, digits, _ or -', pattern: SESSION_ID_PATTERN.source })
  @Matches(SESSION_ID_PATTERN, { message: 'agentId must be 3-50 letters, digits, _ or -' })
  agentId!: string;

  @ApiProperty({ example: 'Support Bot' })
  @IsString()
  @Length(1, 100)
  agentName!: string;

  @ApiPropertyOptional({
    example: 'USER_ID',
    description:
      "Seed 003's `userId`: your own identifier of the end user this session serves (not an account of this gateway). " +
      "The session's AI key is the latest active `access_token` of this user in the shared `api_keys` table. " +
      "Default: the owner's id (on an update: unchanged).",
  })
  @IsOptional()
  @Transform(numberAsString)
  @IsString()
  @Length(1, 100)
  userId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Gateway user who owns the session. Default: the caller; admins may name any user (the bootstrap ADMIN_API_KEY, which is no user, must). Ownership never changes on an update.',
  })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({
    description:
      "Seed 003's `apikey`: stored as the session's key when the api_keys table has no active key for `userId` (then that one is stored). " +
      "The stored key is the session's Bearer token on /agents/{id} routes; it is kept encrypted and never shown again.",
  })
  @IsOptional()
  @IsString()
  @Length(8, 512)
  apikey?: string;

  @ApiPropertyOptional({
    example: 'https://ai.example.com/agents/support-bot/execute',
    description: 'AI endpoint (default: ${AI_BACKEND_URL}/agents/{agentId}/execute)',
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  endpointUrl?: string;

  @ApiPropertyOptional({ default: true, description: 'When the session is not linked yet, wait up to 60 s for its first QR and include it' })
  @IsOptional()
  @IsBoolean()
  waitForQr?: boolean;
}
