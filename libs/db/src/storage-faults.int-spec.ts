import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { AppError } from '@app/contracts';
import { DbFixtures } from '../../../test/support/db-fixtures';
import { requiredEnv } from '../../../test/support/test-env';
import { PrismaClient } from './generated/client';
import { storageFaultOf } from './storage-faults';

/** Provokes each failure for real on PostgreSQL and checks the API answer it becomes. */
describe('storageFaultOf', () => {
  const fixtures = new DbFixtures();
  const prisma = fixtures.prisma;
  const failureOf = async (work: () => Promise<unknown>): Promise<unknown> =>
    work().then(
      () => new Error('statement succeeded'),
      (error: unknown) => error,
    );

  afterAll(() => fixtures.close());

  it('answers a reference to a missing row with 404 naming the field', async () => {
    const error = await failureOf(() =>
      prisma.session.create({ data: { id: `fk-${randomUUID().slice(0, 8)}`, userId: randomUUID(), clientUserId: 'client-1', name: 'n' } }),
    );
    expect(storageFaultOf(error)).toMatchObject({
      code: 'NOT_FOUND',
      httpStatus: 404,
      details: { field: 'userId' },
      message: 'userId does not name an existing record',
    });
  });

  it('answers a duplicate with 409 naming the field', async () => {
    const user = await fixtures.user();
    const error = await failureOf(() => prisma.user.create({ data: { email: user.email, name: 'n', passwordHash: 'h' } }));
    expect(storageFaultOf(error)).toMatchObject({ code: 'CONFLICT', httpStatus: 409, details: { field: 'email' } });
  });

  it('answers a value PostgreSQL cannot store with 400, in model and raw statements alike', async () => {
    const model = await failureOf(() => prisma.user.create({ data: { email: `nul\u0000${randomUUID()}@x`, name: 'n', passwordHash: 'h' } }));
    const raw = await failureOf(() => prisma.$queryRaw`SELECT ${'a\u0000b'}::text`);
    for (const error of [model, raw]) expect(storageFaultOf(error)).toMatchObject({ code: 'INVALID_PAYLOAD', httpStatus: 400 });
  });

  it('answers an update of a missing row with 404', async () => {
    const error = await failureOf(() => prisma.user.update({ where: { id: randomUUID() }, data: { name: 'x' } }));
    expect(storageFaultOf(error)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers an unreachable database with 503 SERVICE_UNAVAILABLE and a retry hint', async () => {
    const dead = new PrismaClient({ adapter: new PrismaPg({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 1_000 }) });
    try {
      for (const error of [await failureOf(() => dead.user.findMany()), await failureOf(() => dead.$queryRaw`SELECT 1`)]) {
        const fault = storageFaultOf(error);
        expect(fault).toBeInstanceOf(AppError);
        expect(fault).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503, details: { dependency: 'database', retryAfterSeconds: 2 } });
      }
    } finally {
      await dead.$disconnect();
    }
  });

  it("answers the same for the send path's statements on node-postgres, refused or cut off", async () => {
    const pool = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 1_000 });
    try {
      expect(storageFaultOf(await failureOf(() => pool.query('SELECT 1')))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { dependency: 'database' } });
    } finally {
      await pool.end();
    }
    const live = new Pool({ connectionString: requiredEnv('DATABASE_URL'), max: 2 });
    const victim = await live.connect();
    victim.on('error', () => undefined);
    try {
      const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const killer = await live.connect();
      await killer.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      killer.release();
      expect(storageFaultOf(await failureOf(() => victim.query('SELECT 1')))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      victim.release(true);
      await live.end();
    }
  });

  it('leaves anything else alone', () => {
    expect(storageFaultOf(new TypeError('x is undefined'))).toBeUndefined();
    expect(storageFaultOf('text')).toBeUndefined();
    expect(storageFaultOf(null)).toBeUndefined();
  });
});
