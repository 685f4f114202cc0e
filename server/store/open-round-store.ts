import Database from 'better-sqlite3';
import { FedfuseError } from '../../common/errors/index.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, applyMigrations, refuseNewerSchema } from './migrations/index.ts';
import { makeDatabaseFilePrivate } from './private-database-file.ts';
import { SqliteRoundStore } from './sqlite-round-store.ts';
import { isSqliteError, toStoreError } from './sqlite-errors.ts';

export interface RoundStoreOptions {
  /**
   * Default 'FULL'. In WAL mode, FULL fsyncs the WAL at every commit, so a
   * method that has returned (an update the server then acknowledges) survives
   * a power cut or kernel crash, at the cost of one fsync per write. NORMAL
   * fsyncs only at checkpoints: a commit still survives a crash of the process
   * (SIGKILL), but the last commits can be lost with the machine, which would
   * break "acknowledged means stored". NORMAL is for tests and benchmarks.
   */
  readonly synchronous: 'FULL' | 'NORMAL';
  /** Default 5000. How long a write waits for another connection's lock before failing with 'unavailable'. */
  readonly busyTimeoutMs: number;
  /**
   * Default false. Opens the file read-only (it must exist and be at the
   * latest schema version); every write fails with 'unavailable'. For
   * inspecting a live or archived database, and the only dependable way to
   * get a read-only store when running as root, where file permissions do not
   * stop writes.
   */
  readonly readonly: boolean;
  /** Default null (no limit). Caps the database file; a write past it fails with 'unavailable' (SQLITE_FULL). */
  readonly maxSizeBytes: number | null;
  /** Default Date.now. The clock for every timestamp the caller does not give. */
  readonly now: () => number;
}

export const DEFAULT_ROUND_STORE_OPTIONS: RoundStoreOptions = {
  synchronous: 'FULL',
  busyTimeoutMs: 5000,
  readonly: false,
  maxSizeBytes: null,
  now: Date.now,
};

/**
 * SQLite's largest page. The data is dominated by 1 MB blobs, stored as chains
 * of overflow pages: 16x fewer pages per blob made recordUpdate of 1.3 MB go
 * from a 3.4-9.5 ms median (p90 15-30 ms) at 4 KiB to 2.9-3.2 ms (p90 5 ms),
 * and reading 50 of them back from 68-152 ms to 58-82 ms; a small row update
 * costs the same (one fsync dominates). The price is about 1.2 MB for an
 * empty database (one page per table and index).
 */
const PAGE_SIZE_BYTES = 65536;

/** Keeps the WAL file from staying at its high-water mark after a burst of 1 MB updates. */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Opens (creating if needed) the SQLite database at `path`, or a private
 * in-memory one for ':memory:', brings its schema to the latest version and
 * returns the store. Fails with 'invalid_argument' for a database written by
 * a newer fedfuse, 'unavailable' when the file cannot be opened or written.
 */
export function openRoundStore(path: string, options: Partial<RoundStoreOptions> = {}): SqliteRoundStore {
  const opts: RoundStoreOptions = { ...DEFAULT_ROUND_STORE_OPTIONS, ...options };
  if (!Number.isSafeInteger(opts.busyTimeoutMs) || opts.busyTimeoutMs < 0) {
    throw new FedfuseError('invalid_argument', `busyTimeoutMs must be a non-negative integer, got ${opts.busyTimeoutMs}`);
  }
  if (opts.maxSizeBytes !== null && (!Number.isSafeInteger(opts.maxSizeBytes) || opts.maxSizeBytes <= 0)) {
    throw new FedfuseError('invalid_argument', `maxSizeBytes must be a positive integer or null, got ${opts.maxSizeBytes}`);
  }
  if (opts.synchronous !== 'FULL' && opts.synchronous !== 'NORMAL') {
    throw new FedfuseError('invalid_argument', `synchronous must be FULL or NORMAL, got ${String(opts.synchronous)}`);
  }

  if (!opts.readonly) makeDatabaseFilePrivate(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: opts.readonly, fileMustExist: opts.readonly, timeout: opts.busyTimeoutMs });
  } catch (e) {
    // better-sqlite3 checks some paths itself (a missing directory) and throws a plain TypeError.
    if (isSqliteError(e)) throw toStoreError(e, `open of ${path}`);
    throw new FedfuseError('unavailable', `store open of ${path} failed: cannot open database file (${(e as Error).message})`, { cause: e });
  }
  try {
    configureConnection(db, opts);
    if (opts.readonly) requireLatestSchema(db);
    else applyMigrations(db, MIGRATIONS);
    return new SqliteRoundStore(db, opts.now);
  } catch (e) {
    db.close();
    throw toStoreError(e, `open of ${path}`);
  }
}

/**
 * Per-connection settings; none of them is stored in the file except
 * journal_mode, so every open sets them again. Integers are spliced into
 * PRAGMA text because PRAGMA takes no bound parameters; all were checked above.
 */
function configureConnection(db: Database.Database, opts: RoundStoreOptions): void {
  // Foreign keys are off by default in SQLite and cannot be switched inside a transaction.
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs}`);
  if (!opts.readonly) {
    // Takes effect only on a new, empty database, so it must come before WAL and the migrations.
    db.pragma(`page_size = ${PAGE_SIZE_BYTES}`);
    // WAL: readers (the HTTP API) never block the writer, and a commit is one append + fsync.
    // An in-memory database answers 'memory', which is expected.
    db.pragma('journal_mode = WAL');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  }
  db.pragma(`synchronous = ${opts.synchronous}`);
  if (opts.maxSizeBytes !== null) {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`max_page_count = ${Math.max(1, Math.floor(opts.maxSizeBytes / pageSize))}`);
  }
}

function requireLatestSchema(db: Database.Database): void {
  const version = refuseNewerSchema(db, LATEST_SCHEMA_VERSION);
  if (version < LATEST_SCHEMA_VERSION) {
    throw new FedfuseError(
      'unavailable',
      `database ${db.name} has schema version ${version}, older than ${LATEST_SCHEMA_VERSION}, and is opened read-only so it cannot be migrated`,
    );
  }
}
