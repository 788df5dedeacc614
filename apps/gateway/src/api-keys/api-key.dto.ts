import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { UserApiKeyRecord } from '@app/db';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'crm-integration', description: 'What the key is for' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00.000Z', description: 'The key stops working at this time; default never' })
  @IsOptional() @IsDateString()
  expiresAt?: string;
}

/** A key as listed: never the secret, only its first characters. */
export class ApiKeyDto {
  @ApiProperty({ example: '8d0f6c1e-3b7a-4f52-9d1e-2a4b6c8d0e1f' })
  id!: string;

  @ApiProperty({ example: 'crm-integration' })
  name!: string;

  @ApiProperty({ example: 'wgk_3Jx9Qm1a', description: 'First characters of the key, to tell keys apart' })
  prefix!: string;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-21T09:30:00.000Z', nullable: true, type: String })
  lastUsedAt!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  expiresAt!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'Set once the key is revoked' })
  revokedAt!: string | null;

  static from(key: UserApiKeyRecord): ApiKeyDto {
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      expiresAt: key.expiresAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'wgk_3Jx9Qm1aZ0b8Xr2LkP4vT7nS6wQ5eY1uI3oA9sD2fG0',
    description: 'The key itself, shown only in this response: send it as `x-api-key`',
  })
  key!: string;
}
