import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { USER_ROLES, type UserRole } from '@app/contracts';
import { NewAccountFields, NormalizeEmail, PASSWORD_MAX_LENGTH, UserDto } from '../users/user.dto';
import type { CredentialKind } from '../credentials/principal';

export class LoginDto {
  @ApiProperty({ example: 'budi@example.com' })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class RegisterDto extends NewAccountFields {}

export class AccessTokenDto {
  @ApiProperty({
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIyZjlhNGQyZSJ9.c2lnbmF0dXJl',
    description: 'Send as `Authorization: Bearer <accessToken>`',
  })
  accessToken!: string;

  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ example: 43200, description: 'Seconds until the token expires (JWT_EXPIRES_IN)' })
  expiresIn!: number;

  @ApiProperty({ type: UserDto })
  user!: UserDto;
}

const CREDENTIAL_KINDS: CredentialKind[] = ['jwt', 'api-key', 'admin-key', 'session-token'];

export class MeDto {
  @ApiProperty({ enum: CREDENTIAL_KINDS, example: 'jwt', description: 'The credential this request was authenticated with' })
  via!: CredentialKind;

  @ApiProperty({ enum: USER_ROLES, example: 'user' })
  role!: UserRole;

  @ApiProperty({ type: UserDto, nullable: true, description: 'null for the bootstrap ADMIN_API_KEY, which is no user' })
  user!: UserDto | null;
}
