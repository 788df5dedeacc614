import { Injectable } from '@nestjs/common';
import { AppError } from '@app/contracts';
import type { UserRecord } from '@app/db';
import { UsersService } from '../users/users.service';
import { UserDto } from '../users/user.dto';
import { AccessTokenService } from './access-token.service';
import type { AccessTokenDto, LoginDto, MeDto, RegisterDto } from './auth.dto';
import type { Principal } from '../credentials/principal';

/** Sign-in, self-registration and "who am I". */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokenService,
  ) {}

  async login(credentials: LoginDto): Promise<AccessTokenDto> {
    const user = await this.users.verifyCredentials(credentials.email, credentials.password);
    // One answer for unknown email, wrong password and disabled account: nothing to enumerate.
    if (!user) throw new AppError('UNAUTHORIZED', 'Invalid email or password');
    const { accessToken, expiresIn } = await this.accessTokens.issue(user.id);
    return { accessToken, tokenType: 'Bearer', expiresIn, user: UserDto.from(user) };
  }

  /** Self-registration always creates a plain `user`; other roles come from an admin. */
  register(input: RegisterDto): Promise<UserRecord> {
    return this.users.create({ ...input, role: 'user' });
  }

  async me(principal: Principal): Promise<MeDto> {
    const user = principal.userId ? await this.users.get(principal.userId) : null;
    return { via: principal.via, role: principal.role, user: user && UserDto.from(user) };
  }
}
