/**
 * Scale: what limits a burst of ~1 MB uploads, store by store and node by node.
 *
 *   npm run bench:scale -- [--part store,burst] [--updates 200] [--update-bytes 1017875] [--spread-ms 0,5,50]
 *        [--clients 200] [--rounds 2] [--aggregator fedavg] [--threads 2]
 *        [--postgres postgres://root@127.0.0.1:5432/test]   (--postgres none to skip PostgreSQL)
 *
 * Parts:
 * - store (scripts/scale/store-burst.ts): N updates into the SQLite store one
 *   transaction each (the write path before group commit), with group commit,
 *   and into PostgreSQL; acknowledgement latency from arrival to durable, the
 *   longest event-loop block, batches.
 * - burst (scripts/scale/socket-burst.ts): --clients real FedfuseClients in
 *   worker threads upload ~1 MB each at once over real sockets to one
 *   `fedfuse server` process, --rounds times, on SQLite (group commit) and on
 *   PostgreSQL: accepted, lost, ack p50/p99 (client side), the server's peak
 *   RSS and event-loop delay.
 * Prints tables and writes results/bench-scale.json with the machine and its
 * load average (other engineers share the machine: figures are noisy).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { printTable } from './scale/stats.ts';
import { ackAndLoopCells } from './load/load-arm.ts';
import { runSocketBurst } from './scale/socket-burst.ts';
import { runStoreBurst } from './scale/store-burst.ts';

const { values: args } = parseArgs({
  options: {
    part: { type: 'string', default: 'store' },
    updates: { type: 'string', default: '200' },
    'update-bytes': { type: 'string', default: '1017875' },
    'spread-ms': { type: 'string', default: '0,5,50' },
    postgres: { type: 'string', default: 'postgres://root@127.0.0.1:5432/test' },
    clients: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '2' },
    aggregator: { type: 'string', default: 'fedavg' },
    threads: { type: 'string', default: '2' },
    out: { type: 'string', default: 'results/bench-scale.json' },
  },
});
const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  const parts = list(args.part);
  const report: Record<string, unknown> = {};
  if (parts.includes('store')) {
    const results = await runStoreBurst({
      updates: Number(args.updates),
      updateBytes: Number(args['update-bytes']),
      spreadMs: list(args['spread-ms']).map(Number),
      postgresUrl: args.postgres === 'none' ? null : args.postgres,
    });
    printTable([
      ['store', 'updates', 'arrival every ms', 'wall s', 'ack p50 ms', 'ack p99 ms', 'ack max ms', 'loop blocked max ms', 'transactions'],
      ...results.map((r) => [
        r.store,
        `${r.updates} x ${(r.updateBytes / 1e6).toFixed(2)} MB`,
        String(r.spreadMs),
        r.wallSeconds.toFixed(2),
        r.ackMs.p50.toFixed(0),
        r.ackMs.p99.toFixed(0),
        r.ackMs.max.toFixed(0),
        r.loopBlockedMaxMs.toFixed(0),
        r.batches === null ? '(pool)' : String(r.batches),
      ]),
    ]);
    report['store'] = results;
  }
  if (parts.includes('burst')) {
    const results = await runSocketBurst(
      {
        clients: Number(args.clients),
        rounds: Number(args.rounds),
        aggregator: args.aggregator,
        postgresUrl: args.postgres === 'none' ? null : args.postgres,
        settings: {
          threads: Number(args.threads),
          model: 'mlp:320',
          testSize: 500,
          screening: 'on',
          perturbation: 0.001,
          armTimeoutSeconds: 1800,
          // As bench-load: BENCH_LOAD_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server.
          serverNodeArgs: (process.env['BENCH_LOAD_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== ''),
        },
      },
      (line) => console.error(`${line} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`),
    );
    printTable([
      ['--db', 'clients x bursts', 'rounds done', 'accepted', 'lost', 'ack p50 ms', 'ack p99 ms', 'ack max ms', 'server peak RSS MB', 'loop delay p99 ms (median / worst 1 s window)', 'loop max ms'],
      ...results.map((r) => [
        r.store,
        `${r.clients} x ${r.rounds}`,
        `${r.roundsCompleted}/${r.rounds}${r.timedOut ? ' (timed out)' : ''}`,
        `${r.accepted}/${r.expectedUpdates}`,
        String(r.lost),
        ...ackAndLoopCells(r),
      ]),
    ]);
    report['burst'] = results.map(({ problems, ...r }) => ({ ...r, problems: problems.slice(0, 20), problemCount: problems.length }));
  }
  mkdirSync('results', { recursive: true });
  writeFileSync(
    args.out,
    JSON.stringify(
      {
        bench: 'scale',
        startedAt,
        command: `npm run bench:scale -- ${process.argv.slice(2).join(' ')}`.trim(),
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: totalmem() / 2 ** 30, node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg() },
        settings: args,
        ...report,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${args.out}`);
}

await main();
