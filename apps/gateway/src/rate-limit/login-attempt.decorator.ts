import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const LOGIN_ATTEMPT_METADATA = 'rate-limit:login-attempt';

/**
 * The route checks a password: besides the API rate limit it allows LOGIN_RATE_LIMIT attempts per
 * LOGIN_RATE_WINDOW for one email from one IP (whitelisted IPs included), against password guessing.
 */
export const LoginAttempt = () => applyDecorators(SetMetadata(LOGIN_ATTEMPT_METADATA, true), ApiExtension('x-login-attempt-limited', true));
