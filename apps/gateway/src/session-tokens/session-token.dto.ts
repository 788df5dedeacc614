import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { SessionTokenRecord } from '@app/db';

export class CreateSessionTokenDto {
  @ApiProperty({ example: 'shop-backend', description: 'What the token is for' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;
}

/** A token as listed: never the secret, only its first characters. */
export class SessionTokenDto {
  @ApiProperty({ example: '5b1e7c9a-0d2f-4e6a-8b3c-7d9e1f2a4b6c' })
  id!: string;

  @ApiProperty({ example: 'agent-1' })
  sessionId!: string;

  @ApiProperty({ example: 'shop-backend' })
  name!: string;

  @ApiProperty({ example: 'wgs_Vb7Kp2Qx', description: 'First characters of the token, to tell tokens apart' })
  prefix!: string;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-21T09:30:00.000Z', nullable: true, type: String })
  lastUsedAt!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'Set once the token is revoked' })
  revokedAt!: string | null;

  static from(token: SessionTokenRecord): SessionTokenDto {
    return {
      id: token.id,
      sessionId: token.sessionId,
      name: token.name,
      prefix: token.prefix,
      createdAt: token.createdAt.toISOString(),
      lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
      revokedAt: token.revokedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedSessionTokenDto extends SessionTokenDto {
  @ApiProperty({
    example: 'wgs_Vb7Kp2QxT9mL3nR8sW1yZ4cF6hJ0kD5gA2eU7iO3pB',
    description: 'The token itself, shown only in this response: send it as `Authorization: Bearer <token>`',
  })
  token!: string;
}
