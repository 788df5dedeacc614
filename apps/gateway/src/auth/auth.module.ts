import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { GatewayConfig, jwtExpirySeconds } from '@app/config';
import { DbModule, SessionRepository } from '@app/db';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { EventTicketsModule } from '../events/event-tickets.module';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SessionTokensModule } from '../session-tokens/session-tokens.module';
import { UsersModule } from '../users/users.module';
import { AccessTokenService } from './access-token.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { Authenticator } from './authenticator';
import { AuthorizationGuard } from './authorization.guard';
import { registrationController } from './registration.controller';

const ISSUER = 'wa-gateway';

/**
 * Authentication and authorization of every route. The three global guards run in the order
 * listed: who is calling, whether they are over their rate limit, whether they may do this.
 */
@Module({})
export class AuthModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        JwtModule.register({
          secret: config.JWT_SECRET,
          signOptions: { algorithm: 'HS256', expiresIn: jwtExpirySeconds(config), issuer: ISSUER },
          verifyOptions: { algorithms: ['HS256'], issuer: ISSUER },
        }),
        DbModule.forFeature([SessionRepository]),
        UsersModule,
        ApiKeysModule,
        SessionTokensModule,
        RateLimitModule,
        EventTicketsModule,
      ],
      controllers: [AuthController, registrationController(config.REGISTRATION_MODE)],
      providers: [
        AccessTokenService,
        AuthService,
        Authenticator,
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthorizationGuard },
      ],
    };
  }
}
