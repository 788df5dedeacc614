import type { Request } from 'express';
import type { SessionRecord } from '@app/db';
import type { Principal } from './principal';

/**
 * A request after the guards: `principal` is set on every non-public route, `scopedSession` on
 * session-scoped routes whose session exists (as the authorization guard loaded it).
 */
export type AuthenticatedRequest = Request & { principal?: Principal; scopedSession?: SessionRecord };
