import { PrismaPg } from '@prisma/adapter-pg';
import { randomUUID } from 'node:crypto';
import { requiredEnv } from '../../../../test/support/test-env';
import { PrismaService } from '../prisma.service';
import { UserRepository } from './user.repository';

describe('UserRepository', () => {
  const prisma = new PrismaService({ adapter: new PrismaPg({ connectionString: requiredEnv('DATABASE_URL') }) });
  const users = new UserRepository(prisma);
  const newUser = (role: 'admin' | 'user' | 'readonly' = 'user') =>
    users.create({ email: `repo-${randomUUID()}@db.test`, name: 'Repo', passwordHash: 'scrypt$hash', role });

  afterAll(() => prisma.$disconnect());

  it('creates a user and never returns the password hash, except to check a login', async () => {
    const user = (await newUser())!;
    expect(Object.keys(user).sort()).toEqual(['createdAt', 'disabledAt', 'email', 'id', 'name', 'role', 'updatedAt']);
    expect(await users.findById(user.id)).toEqual(user);
    expect(await users.findCredentials(user.email)).toEqual({ user, passwordHash: 'scrypt$hash' });
    expect(await users.findCredentials('nobody@db.test')).toBeNull();
  });

  it('answers null for a taken email instead of throwing', async () => {
    const user = (await newUser())!;
    expect(await users.create({ email: user.email, name: 'Twin', passwordHash: 'x', role: 'user' })).toBeNull();
  });

  it('updates and deletes, answering null/false for a missing user', async () => {
    const user = (await newUser())!;
    const disabledAt = new Date();
    expect(await users.update(user.id, { role: 'readonly', disabledAt })).toMatchObject({ role: 'readonly', disabledAt });
    expect(await users.update(randomUUID(), { name: 'x' })).toBeNull();
    expect(await users.delete(user.id)).toBe(true);
    expect(await users.delete(user.id)).toBe(false);
  });

  it('counts admins that can still sign in', async () => {
    const before = await users.countActiveAdmins();
    const admin = (await newUser('admin'))!;
    expect(await users.countActiveAdmins()).toBe(before + 1);
    await users.update(admin.id, { disabledAt: new Date() });
    expect(await users.countActiveAdmins()).toBe(before);
  });

  it('pages through users in creation order', async () => {
    const first = await users.list({ limit: 2, offset: 0 });
    const second = await users.list({ limit: 2, offset: 1 });
    expect(first).toHaveLength(2);
    expect(second[0]).toEqual(first[1]);
  });
});
