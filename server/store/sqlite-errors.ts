import Database from 'better-sqlite3';
import { FedfuseError } from '../../common/errors/index.ts';

/**
 * Primary result codes that mean "the disk or the file cannot serve us right
 * now": the round server should fail the round with this reason and stay up.
 * Extended codes (SQLITE_IOERR_FSYNC, SQLITE_READONLY_DBMOVED, ...) share the
 * primary code as a prefix.
 */
const UNAVAILABLE_CAUSES: Readonly<Record<string, string>> = {
  SQLITE_FULL: 'disk or database size limit full',
  SQLITE_READONLY: 'database is read-only',
  SQLITE_IOERR: 'disk I/O error',
  SQLITE_CANTOPEN: 'cannot open database file',
  SQLITE_BUSY: 'database is locked by another connection (busy timeout expired)',
  SQLITE_LOCKED: 'database table is locked',
  SQLITE_PERM: 'permission denied',
};

export function isSqliteError(e: unknown): e is InstanceType<typeof Database.SqliteError> {
  return e instanceof Database.SqliteError;
}

/** The primary code of a SQLite error: SQLITE_IOERR for SQLITE_IOERR_FSYNC. */
export function primarySqliteCode(code: string): string {
  const match = /^SQLITE_[A-Z]+/.exec(code);
  return match ? match[0] : code;
}

export function isConstraintError(e: unknown, kind?: 'PRIMARYKEY' | 'UNIQUE' | 'FOREIGNKEY' | 'CHECK'): boolean {
  if (!isSqliteError(e)) return false;
  return kind === undefined ? primarySqliteCode(e.code) === 'SQLITE_CONSTRAINT' : e.code === `SQLITE_CONSTRAINT_${kind}`;
}

/**
 * Turns whatever escaped a store operation into the project's typed error.
 * FedfuseErrors pass through; disk trouble becomes 'unavailable' naming the
 * cause and the operation; any other SQLite error (a constraint we did not
 * anticipate, corruption) is 'internal', because retrying will not help.
 */
export function toStoreError(e: unknown, operation: string): FedfuseError {
  if (e instanceof FedfuseError) return e;
  if (isSqliteError(e)) {
    const cause = UNAVAILABLE_CAUSES[primarySqliteCode(e.code)];
    if (cause !== undefined) {
      return new FedfuseError('unavailable', `store ${operation} failed: ${cause} (${e.code}: ${e.message})`, { cause: e });
    }
    return new FedfuseError('internal', `store ${operation} failed: ${e.code}: ${e.message}`, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new FedfuseError('internal', `store ${operation} failed: ${message}`, { cause: e });
}
