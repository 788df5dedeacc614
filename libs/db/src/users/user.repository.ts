import { Injectable, Optional } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { RowCache } from '../row-changes/row.cache';
import { RowCaches } from '../row-changes/row-caches';
import { isUniqueViolation } from './unique-violation';
import type { NewUser, UserChanges, UserPage, UserRecord } from './user.record';

const RECORD_FIELDS = { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true, updatedAt: true } as const;

/** Users (seed 001). Only `findCredentials` ever reads the password hash, for login. */
@Injectable()
export class UserRepository {
  private readonly cache: RowCache<UserRecord | null> | null;

  constructor(
    private readonly prisma: PrismaService,
    @Optional() private readonly caches?: RowCaches,
  ) {
    this.cache = caches?.cacheFor('users') ?? null;
  }

  /** Creates the user; null when the email is already taken. */
  async create(user: NewUser): Promise<UserRecord | null> {
    try {
      return await this.prisma.user.create({ data: user, select: RECORD_FIELDS });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Cached where the process caches rows (the gateway reads the caller's account on every request). */
  findById(id: string): Promise<UserRecord | null> {
    const read = () => this.prisma.user.findUnique({ where: { id }, select: RECORD_FIELDS });
    return this.cache ? this.cache.get(id, async () => ({ value: await read(), rows: [`users:${id}`] })) : read();
  }

  /** The user and their password hash, for checking a login. */
  async findCredentials(email: string): Promise<{ user: UserRecord; passwordHash: string } | null> {
    const row = await this.prisma.user.findUnique({ where: { email }, select: { ...RECORD_FIELDS, passwordHash: true } });
    if (!row) return null;
    const { passwordHash, ...user } = row;
    return { user, passwordHash };
  }

  list(page: UserPage): Promise<UserRecord[]> {
    return this.prisma.user.findMany({ select: RECORD_FIELDS, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: page.limit, skip: page.offset });
  }

  /** Applies the changes; null when the user is gone. */
  async update(id: string, changes: UserChanges): Promise<UserRecord | null> {
    const { count } = await this.prisma.user.updateMany({ where: { id }, data: changes });
    this.caches?.changed('users', id);
    return count > 0 ? this.findById(id) : null;
  }

  /** Deletes the user and, by cascade, their API keys; false when absent. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.user.deleteMany({ where: { id } });
    this.caches?.changed('users', id);
    return count > 0;
  }

  /** Admins that can still sign in (not disabled). */
  countActiveAdmins(): Promise<number> {
    return this.prisma.user.count({ where: { role: 'admin', disabledAt: null } });
  }
}
