import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runLoadArm, type ArmResult, type LoadSettings } from '../load/load-arm.ts';

/**
 * The burst of issue 15's first target, end to end: N real FedfuseClients
 * (worker threads, one socket.io connection each) upload a ~1 MB update all
 * at once (no upload spread) to one `fedfuse server` process, which stores
 * each through its async store and acknowledges it once durable: group
 * commit on SQLite (`--db FILE`), a transaction per update on PostgreSQL
 * (`--db postgres://...?schema=...`, a schema of its own, dropped after).
 * The arm runner is bench-load's (scripts/load/load-arm.ts).
 */
export interface SocketBurstOptions {
  readonly clients: number;
  readonly rounds: number;
  readonly aggregator: string;
  /** Null: SQLite only. */
  readonly postgresUrl: string | null;
  readonly settings: Omit<LoadSettings, 'rounds'>;
}

export interface SocketBurstResult extends ArmResult {
  readonly store: 'sqlite' | 'postgres';
}

export async function runSocketBurst(options: SocketBurstOptions, progress: (line: string) => void): Promise<SocketBurstResult[]> {
  const settings: LoadSettings = { ...options.settings, rounds: options.rounds };
  const arm = { clients: options.clients, aggregator: options.aggregator, uploadSpreadSeconds: 0 };
  const results: SocketBurstResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-scale-burst-'));
  try {
    progress(`sqlite: ${options.clients} clients, ${options.rounds} bursts`);
    results.push({ store: 'sqlite', ...(await runLoadArm({ ...arm, db: join(dir, 'fedfuse.sqlite') }, settings)) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (options.postgresUrl !== null) {
    const schema = `fedfuse_bench_burst_${process.pid}`;
    const url = new URL(options.postgresUrl);
    url.searchParams.set('schema', schema);
    try {
      progress(`postgres: ${options.clients} clients, ${options.rounds} bursts`);
      results.push({ store: 'postgres', ...(await runLoadArm({ ...arm, db: url.toString() }, settings)) });
    } finally {
      const admin = new pg.Client({ connectionString: options.postgresUrl });
      await admin.connect();
      // The name is ours (letters, digits, _): an identifier cannot be a bound parameter.
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  }
  return results;
}
