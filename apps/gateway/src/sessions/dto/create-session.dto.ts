import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUrl, Length, Matches } from 'class-validator';
import { SESSION_ID_PATTERN } from '@app/contracts';

/** Seed 003's body, kept as is: `agentId` is the session id chosen by the client. */
export class CreateSessionDto {
  @ApiProperty({ example: 'support-bot', description: 'Session id: 3-50 letters, digits, _ or -', pattern: SESSION_ID_PATTERN.source })
  @Matches(SESSION_ID_PATTERN, { message: 'agentId must be 3-50 letters, digits, _ or -' })
  agentId!: string;

  @ApiProperty({ example: 'Support Bot' })
  @IsString()
  @Length(1, 100)
  agentName!: string;

  @ApiPropertyOptional({ description: 'Owner of the session; admins may name any user, others only themselves (default: the caller)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  userId?: string;

  @ApiPropertyOptional({
    description: "AI backend key for this session, used when the api_keys table has no active key for the user. Stored encrypted; it is also the session's Bearer token on /agents/{id} routes.",
  })
  @IsOptional()
  @IsString()
  @Length(8, 512)
  apikey?: string;

  @ApiPropertyOptional({ example: 'https://ai.example.com/agents/support-bot/execute', description: 'AI endpoint (default: ${AI_BACKEND_URL}/agents/{agentId}/execute)' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  endpointUrl?: string;

  @ApiPropertyOptional({ default: true, description: 'When the session is not linked yet, wait up to 60 s for its first QR and include it' })
  @IsOptional()
  @IsBoolean()
  waitForQr?: boolean;
}
