import type { Request } from 'express';
import type { Principal } from './principal';

/** A request after the authentication guard: `principal` is set on every non-public route. */
export type AuthenticatedRequest = Request & { principal?: Principal };
