import type { UserRole } from '@app/contracts';

/** A user as the rest of the suite sees it: never the password hash. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  role: UserRole;
}

/** Fields an update may change; absent fields stay as they are. */
export interface UserChanges {
  name?: string;
  role?: UserRole;
  passwordHash?: string;
  disabledAt?: Date | null;
}

export interface UserPage {
  limit: number;
  offset: number;
}
