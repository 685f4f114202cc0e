import pg from 'pg';
import { FedfuseError } from '../../../common/errors/index.ts';

/**
 * SQLSTATE classes and codes that mean "the database cannot serve us right
 * now" (the twin of sqlite-errors.ts' UNAVAILABLE_CAUSES): the round server
 * reports them and tries again, it does not crash.
 */
const UNAVAILABLE_CLASSES: Readonly<Record<string, string>> = {
  '08': 'connection to PostgreSQL failed',
  '53': 'PostgreSQL is out of resources (disk, memory or connections)',
  '57': 'PostgreSQL is shutting down or cancelled the statement',
  '58': 'PostgreSQL system error (I/O)',
};
const UNAVAILABLE_CODES: Readonly<Record<string, string>> = {
  '25006': 'the database is read-only',
  '40001': 'serialization failure (another node changed the same rows; try again)',
  '40P01': 'deadlock detected (try again)',
  '55P03': 'a lock could not be taken in time',
};
/** Node's socket errors, and pg's own words for a connection that went away or never came. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /Cannot use a pool after calling end/i];

export function isPostgresError(e: unknown): e is pg.DatabaseError {
  return e instanceof pg.DatabaseError;
}

/** A unique or primary-key violation on the named constraint (or any, without a name). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  return isPostgresError(e) && e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/**
 * Turns whatever escaped a store operation into the project's typed error:
 * FedfuseErrors pass through; connection trouble, a full disk, a read-only or
 * shutting-down server are 'unavailable' naming the cause; bad data that our
 * checks let through (a NUL byte in a text) is 'invalid_argument'; anything
 * else (a constraint we did not anticipate) is 'internal'.
 */
export function toPostgresStoreError(e: unknown, operation: string): FedfuseError {
  if (e instanceof FedfuseError) return e;
  if (isPostgresError(e)) {
    const code = e.code ?? '';
    const cause = UNAVAILABLE_CODES[code] ?? UNAVAILABLE_CLASSES[code.slice(0, 2)];
    if (cause !== undefined) return new FedfuseError('unavailable', `store ${operation} failed: ${cause} (${code}: ${e.message})`, { cause: e });
    if (code.startsWith('22')) return new FedfuseError('invalid_argument', `store ${operation} failed: ${e.message} (${code})`, { cause: e });
    return new FedfuseError('internal', `store ${operation} failed: ${code}: ${e.message}`, { cause: e });
  }
  const errno = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if ((typeof errno === 'string' && CONNECTION_ERRNOS.has(errno)) || CONNECTION_MESSAGES.some((re) => re.test(message))) {
    return new FedfuseError('unavailable', `store ${operation} failed: cannot reach PostgreSQL (${typeof errno === 'string' ? `${errno}: ` : ''}${message})`, { cause: e });
  }
  return new FedfuseError('internal', `store ${operation} failed: ${message}`, { cause: e });
}
