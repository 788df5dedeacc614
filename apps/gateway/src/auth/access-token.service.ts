import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { GatewayConfig, jwtExpirySeconds } from '@app/config';

/** Claims of a login token. The role is not in it: it is read fresh on every request. */
interface AccessTokenClaims {
  sub: string;
  typ: 'access';
}

export type AccessTokenCheck =
  | { kind: 'valid'; userId: string }
  | { kind: 'expired' }
  /** Not a token this gateway signed (maybe a session's api key, which may be a JWT of the AI backend). */
  | { kind: 'foreign' };

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

/** Login tokens: HS256 JWTs signed with JWT_SECRET (options in AuthModule's JwtModule). */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: GatewayConfig,
  ) {}

  async issue(userId: string): Promise<IssuedAccessToken> {
    const claims: AccessTokenClaims = { sub: userId, typ: 'access' };
    return { accessToken: await this.jwt.signAsync(claims), expiresIn: jwtExpirySeconds(this.config) };
  }

  async check(token: string): Promise<AccessTokenCheck> {
    try {
      const claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims>>(token);
      return claims.typ === 'access' && typeof claims.sub === 'string' ? { kind: 'valid', userId: claims.sub } : { kind: 'foreign' };
    } catch (error) {
      // jsonwebtoken checks the signature before the expiry, so "expired" means we signed it.
      return error instanceof TokenExpiredError ? { kind: 'expired' } : { kind: 'foreign' };
    }
  }
}
