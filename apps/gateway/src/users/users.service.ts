import { Injectable } from '@nestjs/common';
import { AppError } from '@app/contracts';
import { SessionRepository, UserRepository, type UserChanges, type UserRecord } from '@app/db';
import { PasswordHasher } from './password.hasher';
import type { CreateUserDto, ListUsersQueryDto, UpdateUserDto } from './user.dto';

const userNotFound = (id: string) => new AppError('USER_NOT_FOUND', `User ${id} does not exist`);

/** Accounts: creation (register and admin), lookup, changes, deletion, and password checks. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  async create(input: CreateUserDto): Promise<UserRecord> {
    const created = await this.users.create({
      email: input.email,
      name: input.name,
      role: input.role ?? 'user',
      passwordHash: await this.passwords.hash(input.password),
    });
    if (!created) throw new AppError('CONFLICT', `A user with the email ${input.email} already exists`);
    return created;
  }

  async get(id: string): Promise<UserRecord> {
    const user = await this.users.findById(id);
    if (!user) throw userNotFound(id);
    return user;
  }

  list(query: ListUsersQueryDto): Promise<UserRecord[]> {
    return this.users.list({ limit: query.limit ?? 100, offset: query.offset ?? 0 });
  }

  async update(id: string, input: UpdateUserDto): Promise<UserRecord> {
    const current = await this.get(id);
    const changes: UserChanges = { name: input.name, role: input.role };
    if (input.password !== undefined) changes.passwordHash = await this.passwords.hash(input.password);
    if (input.disabled !== undefined) changes.disabledAt = input.disabled ? (current.disabledAt ?? new Date()) : null;
    const stillActiveAdmin = (input.role ?? current.role) === 'admin' && !(input.disabled ?? current.disabledAt !== null);
    await this.keepAnActiveAdmin(current, stillActiveAdmin);
    const updated = await this.users.update(id, changes);
    if (!updated) throw userNotFound(id);
    return updated;
  }

  /**
   * Deleting a user would cascade to their sessions while workers still hold the sockets, so a
   * user with sessions must have them deleted first (or be disabled instead).
   */
  async delete(id: string): Promise<void> {
    const current = await this.get(id);
    const sessions = await this.sessions.list({ userId: id });
    if (sessions.length > 0) {
      throw new AppError('CONFLICT', `User ${id} still has ${sessions.length} session(s): delete them first, or disable the user`);
    }
    await this.keepAnActiveAdmin(current, false);
    if (!(await this.users.delete(id))) throw userNotFound(id);
  }

  /** The user behind a login, or null for an unknown email, a wrong password or a disabled account. */
  async verifyCredentials(email: string, password: string): Promise<UserRecord | null> {
    const credentials = await this.users.findCredentials(email);
    if (!credentials) {
      await this.passwords.verifyNothing(password);
      return null;
    }
    const valid = await this.passwords.verify(password, credentials.passwordHash);
    return valid && credentials.user.disabledAt === null ? credentials.user : null;
  }

  /** The user a credential belongs to, if they may still act (exists, not disabled). */
  async findActive(id: string): Promise<UserRecord | null> {
    const user = await this.users.findById(id);
    return user && user.disabledAt === null ? user : null;
  }

  /** Refuses a change that would leave no active admin (only ADMIN_API_KEY could then manage users). */
  private async keepAnActiveAdmin(user: UserRecord, remainsActiveAdmin: boolean): Promise<void> {
    const wasActiveAdmin = user.role === 'admin' && user.disabledAt === null;
    if (!wasActiveAdmin || remainsActiveAdmin) return;
    if ((await this.users.countActiveAdmins()) <= 1) {
      throw new AppError('CONFLICT', 'This is the last active admin: promote another user to admin first');
    }
  }
}
