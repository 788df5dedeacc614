import { applyDecorators, Body, Controller, Post, type Type } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RegistrationMode } from '@app/config';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { UserDto } from '../users/user.dto';
import { Public, Roles } from '../credentials/auth.decorators';
import { RegisterDto } from './auth.dto';
import { AuthService } from './auth.service';

const RegisterRoute = (who: string) =>
  applyDecorators(
    Post('register'),
    ApiOperation({ summary: `Create an account with the role \`user\` (${who}; REGISTRATION_MODE)` }),
    ApiCreatedResponse({ type: UserDto }),
    ApiConflictResponse({ description: 'CONFLICT: the email is taken', type: ErrorEnvelopeDto }),
  );

/*
 * POST /auth/register exists in one of two forms, chosen at start-up by REGISTRATION_MODE, so the
 * guards and the OpenAPI document both see a plain, static rule instead of a check in the handler.
 */

@ApiTags('auth')
@Controller('auth')
class OpenRegistrationController {
  constructor(private readonly auth: AuthService) {}

  @RegisterRoute('anyone')
  @Public()
  async register(@Body() body: RegisterDto): Promise<UserDto> {
    return UserDto.from(await this.auth.register(body));
  }
}

@ApiTags('auth')
@Controller('auth')
class AdminRegistrationController {
  constructor(private readonly auth: AuthService) {}

  @RegisterRoute('admins only')
  @Roles('admin')
  async register(@Body() body: RegisterDto): Promise<UserDto> {
    return UserDto.from(await this.auth.register(body));
  }
}

export const registrationController = (mode: RegistrationMode): Type => (mode === 'open' ? OpenRegistrationController : AdminRegistrationController);
