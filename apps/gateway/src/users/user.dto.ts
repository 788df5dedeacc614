import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { USER_ROLES, type UserRole } from '@app/contracts';
import type { UserRecord } from '@app/db';
import { PageLimit, PageOffset } from '../http/pagination.decorators';

/** Emails are compared case-insensitively: stored trimmed and lower-cased. */
export const NormalizeEmail = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

const PASSWORD_MIN_LENGTH = 8;
/** Bounded so a huge "password" cannot make the slow hash a denial of service. */
export const PASSWORD_MAX_LENGTH = 128;

export class UserDto {
  @ApiProperty({ example: '2f9a4d2e-8a53-4a43-9c0e-5c7f0f0f3b11' })
  id!: string;

  @ApiProperty({ example: 'budi@example.com' })
  email!: string;

  @ApiProperty({ example: 'Budi Santoso' })
  name!: string;

  @ApiProperty({ enum: USER_ROLES, example: 'user' })
  role!: UserRole;

  @ApiProperty({ example: false, description: 'A disabled user cannot sign in; their keys and tokens stop working' })
  disabled!: boolean;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  updatedAt!: string;

  static from(user: UserRecord): UserDto {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      disabled: user.disabledAt !== null,
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
    };
  }
}

/** What every new account starts with, whether an admin creates it or its owner registers. */
export class NewAccountFields {
  @ApiProperty({ example: 'budi@example.com' })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiProperty({ example: 'Budi Santoso' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;
}

export class CreateUserDto extends NewAccountFields {
  @ApiPropertyOptional({ enum: USER_ROLES, example: 'user', default: 'user' })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Budi S.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: USER_ROLES, example: 'readonly' })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ example: 'a new long passphrase', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string;

  @ApiPropertyOptional({ example: true, description: 'Disable (true) or re-enable (false) the account' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class ListUsersQueryDto {
  @PageLimit({ example: 50, default: 100, maximum: 500 })
  limit?: number;

  @PageOffset(0)
  offset?: number;
}
