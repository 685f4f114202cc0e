/**
 * bench-scale, part "store": a burst of N ~1 MB updates into each store, on
 * this thread as a server would write them, without sockets or decoding, to
 * see what the store alone costs a burst:
 * - sqlite-sync: the synchronous store, one transaction (one fsync) per update,
 *   which is what the round server did before group commit;
 * - sqlite-group: the async SQLite store, all updates submitted at once (the
 *   burst) or one every `spreadMs` ms, committed by group commit;
 * - postgres: the PostgreSQL store, all submitted at once on its pool.
 * Per update: the time from its arrival (start + i x spread) to durable (the
 * acknowledgement latency the store adds, queueing included); per arm: wall time, the longest the event loop was
 * blocked (what every other client waits), batches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRoundStore, openStore, SqliteAsyncRoundStore, type AsyncRoundStore, type NewUpdate } from '../../server/store/index.ts';
import { percentile } from './stats.ts';

export interface StoreBurstResult {
  readonly store: string;
  readonly updates: number;
  readonly updateBytes: number;
  /** 0 = all submitted at once. */
  readonly spreadMs: number;
  readonly wallSeconds: number;
  readonly ackMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly loopBlockedMaxMs: number;
  readonly batches: number | null;
}

/** Deterministic, incompressible-looking bytes (xorshift). */
function noiseBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * The longest gap between ticks of a 1 ms interval: how long the thread was
 * blocked at worst (monitorEventLoopDelay misses a block that spans the
 * whole measurement, as a synchronous burst does).
 */
function loopBlockMeter(): { stop(): Promise<number> } {
  let last = performance.now();
  let worst = 0;
  const tick = (): void => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  };
  const timer = setInterval(tick, 1);
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 5));
      clearInterval(timer);
      tick();
      return worst;
    },
  };
}

async function seed(store: AsyncRoundStore, clients: number): Promise<string> {
  const runId = 'bench';
  await store.createRun({ id: runId, config: {}, modelSpec: {}, initialModel: new Uint8Array([1]) });
  const ids = Array.from({ length: clients }, (_, i) => `c${i}`);
  for (const id of ids) await store.upsertClient({ id, numExamples: 100 });
  await store.openRound({ runId, round: 1, sampledClientIds: ids, deadline: Date.now() + 3_600_000, attempt: 1 });
  return runId;
}

async function burst(name: string, store: AsyncRoundStore, updates: number, bytes: number, spreadMs: number, batches: () => number | null): Promise<StoreBurstResult> {
  const runId = await seed(store, updates);
  const models = Array.from({ length: updates }, (_, i) => noiseBytes(bytes, i + 1));
  const latencies: number[] = [];
  const blocked = loopBlockMeter();
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < updates; i++) {
    // Update i "arrives" at started + i * spreadMs, whether or not the thread is free then: a blocked
    // thread makes the next clients wait, which is what their acknowledgement latency must show.
    const arrival = started + i * spreadMs;
    const wait = arrival - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const update: NewUpdate = { runId, round: 1, clientId: `c${i}`, numExamples: 100, model: models[i]! };
    pending.push(store.recordUpdate(update).then(() => void latencies.push(performance.now() - arrival)));
  }
  await Promise.all(pending);
  const wallSeconds = (performance.now() - started) / 1000;
  const loopBlockedMaxMs = await blocked.stop();
  if ((await store.countUpdates(runId, 1)) !== updates) throw new Error(`${name}: ${await store.countUpdates(runId, 1)} of ${updates} stored`);
  return {
    store: name,
    updates,
    updateBytes: bytes,
    spreadMs,
    wallSeconds,
    ackMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) },
    loopBlockedMaxMs,
    batches: batches(),
  };
}

/** The synchronous store behind the async contract, one transaction per update: the old write path. */
function oneByOne(file: string): SqliteAsyncRoundStore {
  // Batches of one item: every update its own transaction and fsync, as before group commit.
  return new SqliteAsyncRoundStore(openRoundStore(file), { windowMs: 0, maxBatchItems: 1 });
}

export async function runStoreBurst(options: { updates: number; updateBytes: number; spreadMs: readonly number[]; postgresUrl: string | null }): Promise<StoreBurstResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-scale-store-'));
  const results: StoreBurstResult[] = [];
  try {
    let n = 0;
    for (const spreadMs of options.spreadMs) {
      const single = oneByOne(join(dir, `single-${++n}.sqlite`));
      results.push(await burst('sqlite, one transaction per update', single, options.updates, options.updateBytes, spreadMs, () => single.groupCommitStatistics().batches));
      await single.close();
      const grouped = new SqliteAsyncRoundStore(openRoundStore(join(dir, `group-${++n}.sqlite`)));
      results.push(await burst('sqlite, group commit', grouped, options.updates, options.updateBytes, spreadMs, () => grouped.groupCommitStatistics().batches));
      await grouped.close();
      if (options.postgresUrl !== null) {
        const url = new URL(options.postgresUrl);
        const schema = `fedfuse_bench_${process.pid}_${n}`;
        url.searchParams.set('schema', schema);
        const pg = await openStore(url.toString());
        try {
          results.push(await burst('postgresql, pool of 10', pg, options.updates, options.updateBytes, spreadMs, () => null));
        } finally {
          await pg.close();
          const { default: pgModule } = await import('pg');
          const admin = new pgModule.Client({ connectionString: options.postgresUrl });
          await admin.connect();
          await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await admin.end();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
