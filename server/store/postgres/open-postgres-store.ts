import pg from 'pg';
import { FedfuseError } from '../../../common/errors/index.ts';
import { POSTGRES_MIGRATIONS, applyPostgresMigrations } from './migrations/index.ts';
import { toPostgresStoreError } from './postgres-errors.ts';
import { PostgresRoundStore } from './postgres-round-store.ts';

export interface PostgresStoreOptions {
  /**
   * Default null: the `schema` parameter of the URL when it has one, else the
   * server's default search_path (public). Created when missing. Several runs
   * (or test runs) can share one database, each in its own schema.
   */
  readonly schema: string | null;
  /** Default 10. Connections this process keeps; each transaction holds one while it runs. */
  readonly maxConnections: number;
  /** Default 10000. How long a call waits for a free connection or a new one before failing with 'unavailable'. */
  readonly connectTimeoutMs: number;
  /** Default Date.now. The clock for every timestamp the caller does not give. */
  readonly now: () => number;
  /** Told when an idle connection fails (the server restarted); the pool replaces it. Default: ignored. */
  readonly onConnectionError: (error: Error) => void;
}

export const DEFAULT_POSTGRES_STORE_OPTIONS: PostgresStoreOptions = {
  schema: null,
  maxConnections: 10,
  connectTimeoutMs: 10_000,
  now: Date.now,
  onConnectionError: () => {},
};

/** `--db` values that name PostgreSQL rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL without its password, for messages and logs. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Row shapes shared with SQLite (see postgres-round-store.ts): BIGINT times as
 * numbers (unix ms are far below 2^53) and `json` columns as their text,
 * which the shared row mappers parse.
 */
const TYPES = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === pg.types.builtins.INT8) return Number;
    if (oid === pg.types.builtins.JSON) return (text: string) => text;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/**
 * Connects to the PostgreSQL database at `url` (postgres://user:pass@host:port/db,
 * optionally `?schema=name`), brings its schema to the latest version and
 * returns the store. Fails with 'invalid_argument' for a bad URL or schema
 * name or a schema written by a newer fedfuse, 'unavailable' when the server
 * cannot be reached.
 */
export async function openPostgresRoundStore(url: string, options: Partial<PostgresStoreOptions> = {}): Promise<PostgresRoundStore> {
  const opts: PostgresStoreOptions = { ...DEFAULT_POSTGRES_STORE_OPTIONS, ...options };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FedfuseError('invalid_argument', `${describePostgresUrl(url)} is not a valid postgres:// URL`);
  }
  const schema = opts.schema ?? parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new FedfuseError('invalid_argument', `schema "${schema}" must be letters, digits and _ (not starting with a digit), at most 63 characters`);
  }
  if (!Number.isSafeInteger(opts.maxConnections) || opts.maxConnections < 1) {
    throw new FedfuseError('invalid_argument', `maxConnections must be a positive integer, got ${opts.maxConnections}`);
  }
  const where = describePostgresUrl(parsed.toString());
  if (schema !== null) await createSchema(parsed.toString(), schema, opts, where);

  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: opts.maxConnections,
    connectionTimeoutMillis: opts.connectTimeoutMs,
    application_name: 'fedfuse',
    types: TYPES,
    // A startup parameter, so every connection of the pool, including replacements, uses the schema.
    ...(schema !== null ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', (e) => opts.onConnectionError(e));
  try {
    await applyPostgresMigrations(pool, POSTGRES_MIGRATIONS);
  } catch (e) {
    await pool.end().catch(() => {});
    const err = toPostgresStoreError(e, `open of ${where}`);
    throw err.code === 'unavailable' ? new FedfuseError('unavailable', `cannot open the PostgreSQL store at ${where}: ${err.message}`, { cause: e }) : err;
  }
  return new PostgresRoundStore(pool, opts.now);
}

async function createSchema(connectionString: string, schema: string, opts: PostgresStoreOptions, where: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: opts.connectTimeoutMs, application_name: 'fedfuse' });
  try {
    await client.connect();
    // The name was checked against SCHEMA_NAME above: an identifier cannot be a bound parameter.
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (e) {
    // Two nodes creating the same schema at once: one of them loses the race on the catalog, which is fine.
    if ((e as { code?: string }).code === '23505' || (e as { code?: string }).code === '42P06') return;
    const err = toPostgresStoreError(e, `open of ${where}`);
    throw err.code === 'unavailable' ? new FedfuseError('unavailable', `cannot open the PostgreSQL store at ${where}: ${err.message}`, { cause: e }) : err;
  } finally {
    await client.end().catch(() => {});
  }
}
