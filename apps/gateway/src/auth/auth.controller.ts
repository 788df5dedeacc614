import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { LoginAttempt } from '../rate-limit/login-attempt.decorator';
import { CurrentPrincipal, Public } from '../credentials/auth.decorators';
import { AccessTokenDto, LoginDto, MeDto } from './auth.dto';
import { AuthService } from './auth.service';
import type { Principal } from '../credentials/principal';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @LoginAttempt()
  @ApiOperation({
    summary: 'Log in: a JWT for `Authorization: Bearer`',
    description: 'Attempts per email and IP are limited (LOGIN_RATE_LIMIT per LOGIN_RATE_WINDOW).',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiUnauthorizedResponse({ description: 'UNAUTHORIZED: wrong email or password, or a disabled account', type: ErrorEnvelopeDto })
  login(@Body() body: LoginDto): Promise<AccessTokenDto> {
    return this.auth.login(body);
  }

  @Get('me')
  @ApiOperation({ summary: 'The caller: credential kind, role and account' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.auth.me(principal);
  }
}
