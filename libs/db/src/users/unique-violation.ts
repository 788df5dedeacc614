import { Prisma } from '../generated/client';

/** Whether a write failed on a unique constraint (Prisma P2002), e.g. an email already taken. */
export const isUniqueViolation = (error: unknown): boolean => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
