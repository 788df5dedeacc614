import { AppError } from '@app/contracts';

/**
 * What the Prisma client and its PostgreSQL driver adapter say when a statement fails, read
 * structurally so no Prisma type leaves this library: `code` is Prisma's (P2002 …), and the driver
 * adapter's own classification travels in `meta.driverAdapterError.cause` (or `cause`).
 */
interface AdapterCause {
  kind?: string;
  code?: string;
  originalCode?: string;
  constraint?: { fields?: string[]; index?: string };
  table?: string;
}

/** Seconds a client waits before retrying a request that met an unreachable database. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Prisma codes that mean the database could not be used at all (not that the statement was wrong). */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024', 'P2028']);
const UNAVAILABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
/** PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, starting up). */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/;
/** Errors of node-postgres itself (no SQLSTATE) when the server went away or never answered. */
const CONNECTION_LOST =
  /Connection terminated|Client has encountered a connection error|Connection ended|timeout exceeded when trying to connect|Can't reach database server/i;

/**
 * Socket failures as node-postgres rethrows them (the send path's statements run on `pg` directly):
 * every other client of the suite wraps its own (Redis commands, worker commands, fetches).
 */
const SOCKET_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Values PostgreSQL refuses to store: NUL, bad UTF-8, too long, out of range, not a uuid/number. */
const INVALID_VALUE_SQLSTATE = /^22/;
const INVALID_VALUE_PRISMA_CODES = new Set(['P2000', 'P2005', 'P2006', 'P2007', 'P2009', 'P2012', 'P2019', 'P2020', 'P2023', 'P2033', 'P2039']);

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function adapterCauseOf(error: Record<string, unknown>): AdapterCause | undefined {
  const fromMeta = objectOf(objectOf(objectOf(error.meta)?.driverAdapterError)?.cause);
  if (fromMeta) return fromMeta;
  return error.name === 'DriverAdapterError' ? objectOf(error.cause) : undefined;
}

const camelCase = (column: string): string => column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/**
 * The column a constraint is about, in the API's field spelling: PostgreSQL names constraints
 * `<table>_<column…>_fkey|key`, and the adapter gives the fields when it knows them.
 */
function fieldOf(cause: AdapterCause | undefined, suffix: 'fkey' | 'key'): string | undefined {
  const fields = cause?.constraint?.fields;
  if (fields && fields.length > 0) return fields.map((field) => camelCase(field.replace(/"/g, ''))).join(', ');
  const index = cause?.constraint?.index;
  if (!index) return undefined;
  const table = cause?.table;
  const withoutSuffix = index.endsWith(`_${suffix}`) ? index.slice(0, -(suffix.length + 1)) : index;
  const column = table && withoutSuffix.startsWith(`${table}_`) ? withoutSuffix.slice(table.length + 1) : withoutSuffix.replace(/^[a-z]+s_/, '');
  return camelCase(column);
}

function sqlStateOf(cause: AdapterCause | undefined, error: Record<string, unknown>): string | undefined {
  const state = cause?.originalCode ?? cause?.code ?? (typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) ? error.code : undefined);
  return state && state !== 'N/A' ? state : undefined;
}

/**
 * The API's answer to a failure of the database layer, or undefined when `error` is not one: an
 * unreachable database is 503 SERVICE_UNAVAILABLE with Retry-After; a reference to a row that does
 * not exist is 404 and a duplicate 409, each naming the field; a value PostgreSQL cannot store is
 * 400. Anything else stays unexpected (500).
 */
export function storageFaultOf(error: unknown): AppError | undefined {
  const failure = objectOf(error);
  if (!failure) return undefined;
  const name = typeof failure.name === 'string' ? failure.name : '';
  const prismaCode = typeof failure.code === 'string' && /^P\d{4}$/.test(failure.code) ? failure.code : undefined;
  const cause = adapterCauseOf(failure);
  const sqlState = sqlStateOf(cause, failure);
  const message = typeof failure.message === 'string' ? failure.message : '';

  if (
    name === 'PrismaClientInitializationError' ||
    (prismaCode !== undefined && UNAVAILABLE_PRISMA_CODES.has(prismaCode)) ||
    (cause?.kind !== undefined && UNAVAILABLE_ADAPTER_KINDS.has(cause.kind)) ||
    (sqlState !== undefined && UNAVAILABLE_SQLSTATE.test(sqlState)) ||
    ((name.startsWith('PrismaClient') || name === 'DriverAdapterError' || name === 'Error') && CONNECTION_LOST.test(message)) ||
    (typeof failure.syscall === 'string' && typeof failure.code === 'string' && SOCKET_FAILURES.has(failure.code))
  ) {
    return new AppError('SERVICE_UNAVAILABLE', 'The database is unreachable; retry shortly', {
      dependency: 'database',
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    });
  }
  if (prismaCode === 'P2003' || cause?.kind === 'ForeignKeyConstraintViolation') {
    const field = fieldOf(cause, 'fkey');
    return new AppError('NOT_FOUND', field ? `${field} does not name an existing record` : 'A referenced record does not exist', field ? { field } : undefined);
  }
  if (prismaCode === 'P2002' || cause?.kind === 'UniqueConstraintViolation') {
    const field = fieldOf(cause, 'key');
    return new AppError(
      'CONFLICT',
      field ? `A record with this ${field} already exists` : 'A record with these values already exists',
      field ? { field } : undefined,
    );
  }
  if (prismaCode === 'P2025') return new AppError('NOT_FOUND', 'The record does not exist (any more)');
  if (
    (prismaCode !== undefined && INVALID_VALUE_PRISMA_CODES.has(prismaCode)) ||
    (sqlState !== undefined && INVALID_VALUE_SQLSTATE.test(sqlState)) ||
    cause?.kind === 'LengthMismatch' ||
    cause?.kind === 'ValueOutOfRange' ||
    cause?.kind === 'InvalidInputValue'
  ) {
    return new AppError('INVALID_PAYLOAD', 'A value in the request cannot be stored (invalid characters, too long or out of range)');
  }
  return undefined;
}
