import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { SessionTokenRecord } from '@app/db';
import { IssuedCredentialDto, issuedCredentialFields, ShownOnceDto } from '../credentials/issued-credential.dto';

export class CreateSessionTokenDto {
  @ApiProperty({ example: 'shop-backend', description: 'What the token is for' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;
}

/** A token as listed: never the secret, only its first characters. */
export class SessionTokenDto extends IssuedCredentialDto({
  noun: 'token',
  examples: { id: '5b1e7c9a-0d2f-4e6a-8b3c-7d9e1f2a4b6c', name: 'shop-backend', prefix: 'wgs_Vb7Kp2Qx' },
  ownFields: { sessionId: { after: 'id', options: { type: String, example: 'agent-1' } } },
}) {
  declare sessionId: string;

  static from(token: SessionTokenRecord): SessionTokenDto {
    return { ...issuedCredentialFields(token), sessionId: token.sessionId };
  }
}

export class CreatedSessionTokenDto extends ShownOnceDto(SessionTokenDto, 'token', {
  example: 'wgs_Vb7Kp2QxT9mL3nR8sW1yZ4cF6hJ0kD5gA2eU7iO3pB',
  sendAs: '`Authorization: Bearer <token>`',
}) {}
