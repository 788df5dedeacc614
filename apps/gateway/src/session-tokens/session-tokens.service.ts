import { Injectable } from '@nestjs/common';
import { SessionTokenRepository, type SessionTokenRecord } from '@app/db';
import { IssuedCredentialService } from '../credentials/issued-credential.service';

/** Bearer tokens bound to one session (seeds 000, 003): they send and run the agent on it, nothing else. */
@Injectable()
export class SessionTokensService extends IssuedCredentialService<SessionTokenRecord> {
  constructor(tokens: SessionTokenRepository) {
    super({ secret: 'sessionToken', label: 'Token', owner: 'session' }, tokens);
  }
}
