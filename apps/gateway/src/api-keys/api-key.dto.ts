import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { UserApiKeyRecord } from '@app/db';
import { IssuedCredentialDto, issuedCredentialFields, ShownOnceDto } from '../credentials/issued-credential.dto';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'crm-integration', description: 'What the key is for' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00.000Z', description: 'The key stops working at this time; default never' })
  @IsOptional()
  @IsDateString()
  expiresAt?: string;
}

/** A key as listed: never the secret, only its first characters. */
export class ApiKeyDto extends IssuedCredentialDto({
  noun: 'key',
  examples: { id: '8d0f6c1e-3b7a-4f52-9d1e-2a4b6c8d0e1f', name: 'crm-integration', prefix: 'wgk_3Jx9Qm1a' },
  ownFields: { expiresAt: { after: 'lastUsedAt', options: { example: null, nullable: true, type: String } } },
}) {
  declare expiresAt: string | null;

  static from(key: UserApiKeyRecord): ApiKeyDto {
    return { ...issuedCredentialFields(key), expiresAt: key.expiresAt?.toISOString() ?? null };
  }
}

export class CreatedApiKeyDto extends ShownOnceDto(ApiKeyDto, 'key', {
  example: 'wgk_3Jx9Qm1aZ0b8Xr2LkP4vT7nS6wQ5eY1uI3oA9sD2fG0',
  sendAs: '`x-api-key`',
}) {}
