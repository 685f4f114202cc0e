/**
 * Load: N concurrent clients on loopback, each uploading a ~1 MB MLP update
 * (784-320-10, float32) per round, against a real `fedfuse server` child
 * process. Reports accepted and failed updates, upload acknowledgement
 * latency (client side, p50/p99/max), the server's peak RSS and event-loop
 * delay, and the rounds completed, for each client count and aggregator.
 *
 *   npm run bench:load -- [--clients 100,200] [--rounds 5] [--aggregators fedavg,kf-linear]
 *        [--upload-spread 0,10] [--threads 2] [--model mlp:320] [--test-size 500] [--screening on]
 *
 * Clients do not train: each uploads the global model plus small uniform
 * noise (scripts/load/perturbed-update.ts), so that hundreds of them fit on
 * two cores next to the server; with --upload-spread S each waits a seeded
 * random time in [0, S] s before uploading, as clients whose training takes
 * different times would (0: all upload at once, the worst burst). They are real FedfuseClients, each with its
 * own socket.io connection, hosted in `--threads` worker threads of this
 * process. The server is `node server/cli/bin.mjs server` with its defaults
 * (SQLite file, fusion, screening and evaluation in its worker thread)
 * except the options below. Its event-loop delay comes from its own /metrics
 * (prom-client's nodejs_eventloop_lag_p99_seconds, a histogram reset at
 * each scrape: one value per 1 s scrape window) and its peak RSS from
 * /proc/<pid>/status (VmHWM, main and worker threads together).
 * Prints a table and writes results/bench-load.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ackAndLoopCells, runLoadArm, type Arm, type ArmResult, type LoadSettings } from './load/load-arm.ts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '100,200' },
    rounds: { type: 'string', default: '5' },
    aggregators: { type: 'string', default: 'fedavg,kf-linear' },
    threads: { type: 'string', default: '2' },
    model: { type: 'string', default: 'mlp:320' },
    'test-size': { type: 'string', default: '500' },
    screening: { type: 'string', default: 'on' },
    perturbation: { type: 'string', default: '0.001' },
    'upload-spread': { type: 'string', default: '0,10' },
    'arm-timeout': { type: 'string', default: '1800' },
    out: { type: 'string', default: 'results/bench-load.json' },
  },
});
const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

function settingsFromArgs(): LoadSettings {
  return {
    rounds: Number(args.rounds),
    threads: Number(args.threads),
    model: args.model,
    testSize: Number(args['test-size']),
    screening: args.screening === 'off' ? 'off' : 'on',
    perturbation: Number(args.perturbation),
    armTimeoutSeconds: Number(args['arm-timeout']),
    // BENCH_LOAD_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server (written when it exits on SIGTERM).
    serverNodeArgs: (process.env['BENCH_LOAD_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== ''),
  };
}

async function runArm(arm: Omit<Arm, 'db'>): Promise<ArmResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-load-'));
  try {
    return await runLoadArm({ ...arm, db: join(dir, 'fedfuse.sqlite') }, settingsFromArgs());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(results: readonly ArmResult[]): void {
  const rows = [['clients', 'aggregator', 'upload spread s', 'rounds done', 'accepted', 'failed', 'ack p50 ms', 'ack p99 ms', 'ack max ms', 'server peak RSS MB', 'loop delay p99 ms (median / worst 1 s window)', 'loop max ms', 'round s (mean)', 'fusion s (mean)', 'screening s (mean)']];
  const mean = (v: (number | null)[]): string => {
    const xs = v.filter((x): x is number => x !== null);
    return xs.length === 0 ? '-' : (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
  };
  for (const r of results) {
    rows.push([
      String(r.clients),
      r.aggregator,
      String(r.uploadSpreadSeconds),
      `${r.roundsCompleted}/${r.rounds}${r.timedOut ? ' (timed out)' : ''}`,
      `${r.accepted}/${r.expectedUpdates}`,
      String(r.lost + Object.values(r.rejected).reduce((a, b) => a + b, 0)),
      ...ackAndLoopCells(r),
      mean(r.roundDetails.map((d) => d.seconds)),
      mean(r.roundDetails.map((d) => d.fusionSeconds)),
      mean(r.roundDetails.map((d) => d.screeningSeconds)),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  rows.forEach((row, i) => {
    console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  });
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  const results: ArmResult[] = [];
  const arms: Omit<Arm, 'db'>[] = list(args.aggregators).flatMap((aggregator) =>
    list(args.clients).flatMap((clients) => list(args['upload-spread']).map((spread): Omit<Arm, 'db'> => ({ clients: Number(clients), aggregator, uploadSpreadSeconds: Number(spread) }))),
  );
  for (const arm of arms) {
    console.error(`${arm.clients} clients, ${arm.aggregator}, uploads spread over ${arm.uploadSpreadSeconds} s: running (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    const r = await runArm(arm);
    console.error(
      `  ${r.roundsCompleted}/${r.rounds} rounds, accepted ${r.accepted}/${r.expectedUpdates}, ack p99 ${r.ackLatencyMs.p99.toFixed(0)} ms, ` +
        `peak RSS ${r.serverPeakRssMb.toFixed(0)} MB, ${r.wallSeconds.toFixed(0)} s${r.problems.length > 0 ? `, ${r.problems.length} problems (first: ${r.problems[0]!.what}: ${r.problems[0]!.message})` : ''}`,
    );
    results.push(r);
  }
  printTable(results);
  mkdirSync('results', { recursive: true });
  writeFileSync(
    args.out,
    JSON.stringify(
      {
        bench: 'load',
        startedAt,
        command: `npm run bench:load -- ${process.argv.slice(2).join(' ')}`.trim(),
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: totalmem() / 2 ** 30, node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg() },
        settings: { ...args, clientTraining: 'none: global model + uniform noise (scripts/load/perturbed-update.ts)', server: 'child process: node server/cli/bin.mjs server (worker-thread fusion)' },
        results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${args.out}`);
}

await main();
