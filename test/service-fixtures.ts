import { execFileSync, execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';

/**
 * PostgreSQL and Redis for the tests that need them (the store contract on
 * PostgreSQL, several nodes). The development and CI machines run both
 * (../shared/facts.md); when one is down it is started here with the same
 * commands as .ci/run, and a test that still cannot reach it fails: it never
 * skips. Other engineers run tests at the same time, so every test run gets
 * its own PostgreSQL schema and Redis key prefix, removed afterwards.
 */

export const POSTGRES_URL = process.env['FEDFUSE_TEST_POSTGRES_URL'] ?? 'postgres://root@127.0.0.1:5432/test';
export const REDIS_URL = process.env['FEDFUSE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

let postgresChecked: Promise<void> | null = null;

/** Resolves once PostgreSQL answers at POSTGRES_URL, starting the local cluster if needed; rejects with how to start it otherwise. */
export function requirePostgres(): Promise<void> {
  postgresChecked ??= (async () => {
    if (await postgresAnswers()) return;
    try {
      const version = readdirSync('/etc/postgresql')[0];
      if (version !== undefined) execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // Started by someone else meanwhile, or not installed: the check below tells.
    }
    for (let i = 0; i < 30; i++) {
      if (await postgresAnswers()) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(
      `PostgreSQL does not answer at ${POSTGRES_URL}; start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set FEDFUSE_TEST_POSTGRES_URL',
    );
  })();
  return postgresChecked;
}

/** A schema name no other test run uses. */
export function uniqueSchemaName(prefix: string): string {
  return `fedfuse_t_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** The store URL of a fresh schema (created by the store on open). */
export function postgresSchemaUrl(schema: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** Drops the schemas (and everything in them). */
export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const names = [...schemas];
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    // Names come from uniqueSchemaName: letters, digits and _ only.
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}

function redisAnswers(): boolean {
  try {
    const url = new URL(REDIS_URL);
    return execFileSync('redis-cli', ['-h', url.hostname, '-p', url.port || '6379', 'ping'], { encoding: 'utf8', timeout: 3_000 }).trim() === 'PONG';
  } catch {
    return false;
  }
}

/** Resolves once Redis answers at REDIS_URL, starting a local one if needed. */
export async function requireRedis(): Promise<void> {
  if (redisAnswers()) return;
  try {
    execSync(
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
      { stdio: 'ignore', timeout: 10_000 },
    );
  } catch {
    // Checked below.
  }
  for (let i = 0; i < 20; i++) {
    if (redisAnswers()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Redis does not answer at ${REDIS_URL}; start it as .ci/run does, or set FEDFUSE_TEST_REDIS_URL`);
}

export type TestBackend = 'sqlite' | 'postgres';

export interface TestDatabase {
  /** What `--db` (or openStore) takes: a SQLite file in the test's directory, or a PostgreSQL URL with a schema of its own. */
  readonly location: string;
  /** Drops the PostgreSQL schema; the SQLite file goes with the test's directory. */
  drop(): Promise<void>;
}

/** A fresh database for one test on `backend`; PostgreSQL is started first when it is down. */
export async function testDatabase(backend: TestBackend, dir: string, name: string): Promise<TestDatabase> {
  if (backend === 'sqlite') return { location: `${dir}/fedfuse.sqlite`, drop: async () => {} };
  await requirePostgres();
  const schema = uniqueSchemaName(name);
  return { location: postgresSchemaUrl(schema), drop: () => dropSchemas([schema]) };
}
