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
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { mintClientToken } from '../server/auth/index.ts';
import type { ClientThreadData, FromClientThread, LoadClient } from './load/client-thread-protocol.ts';

const SECRET = 'bench-load-secret-0123456789abcdef';
/** Reads the round details (metrics, screening) under --read-api private. */
const READ_TOKEN = 'bench-load-read-token';
const READ_HEADERS = { authorization: `Bearer ${READ_TOKEN}` };
const BIN = fileURLToPath(new URL('../server/cli/bin.mjs', import.meta.url));
const SCRAPE_MS = 1_000;

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

interface Arm {
  readonly clients: number;
  readonly aggregator: string;
  /** Clients upload at random times over this many seconds after their task arrives; 0 = all at once. */
  readonly uploadSpreadSeconds: number;
}

interface RoundSummary {
  readonly round: number;
  readonly state: string;
  readonly participants: number;
  readonly seconds: number | null;
  readonly trainingSeconds: number | null;
  readonly aggregationSeconds: number | null;
  readonly evaluationSeconds: number | null;
  readonly fusionSeconds: number | null;
  readonly screeningSeconds: number | null;
  readonly screenedOut: number;
  readonly accuracy: number | null;
}

interface ArmResult extends Arm {
  readonly rounds: number;
  readonly roundsCompleted: number;
  readonly expectedUpdates: number;
  /** Stored by the server (its fedfuse_uploads_total{result="accepted"}). */
  readonly accepted: number;
  /** Refused by the server, by code. */
  readonly rejected: Record<string, number>;
  /** Acknowledgements the clients received. */
  readonly acked: number;
  /** Updates handed to a client that were never acknowledged. */
  readonly lost: number;
  readonly problems: readonly { clientId: string; what: string; message: string }[];
  readonly connectSeconds: number;
  readonly ackLatencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  readonly uploadBytesMean: number;
  readonly serverPeakRssMb: number;
  readonly eventLoopDelayP99Ms: { readonly medianWindow: number; readonly worstWindow: number };
  readonly eventLoopDelayMaxMs: number;
  readonly wallSeconds: number;
  readonly roundDetails: readonly RoundSummary[];
  readonly timedOut: boolean;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The value of an unlabelled Prometheus sample, or of the sample with exactly these labels. */
function metricValue(text: string, name: string, labels = ''): number | null {
  const prefix = labels === '' ? `${name} ` : `${name}{${labels}} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? null : Number(line.slice(prefix.length));
}

function startServer(arm: Arm, dbPath: string): { child: ChildProcess; url: Promise<string>; output: string[] } {
  const rounds = Number(args.rounds);
  const child = spawn(
    process.execPath,
    [
      // BENCH_LOAD_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server (written when it exits on SIGTERM).
      ...(process.env['BENCH_LOAD_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== ''),
      BIN, 'server',
      '--port', '0', '--db', dbPath, '--secret', SECRET, '--read-token', READ_TOKEN, '--log-level', 'info',
      '--model', args.model, '--rounds', String(rounds), '--min-clients', String(arm.clients),
      '--aggregator', arm.aggregator, '--importance', 'uniform',
      '--test-size', args['test-size'], '--round-timeout', '600',
      '--screening', args.screening,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.trim() !== '') output.push(line);
        const url = listeningUrlOf(line);
        if (url !== null) resolve(url);
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => output.push(`[stderr] ${chunk.trimEnd()}`));
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output.slice(-10).join('\n')}`)));
  });
  return { child, url, output };
}

/** Scrapes the server's /metrics every second: RSS and the event-loop delay of each window. */
function scrapeMetrics(url: string): { stop(): Promise<void>; p99s: number[]; maxes: number[]; lastText: () => string } {
  const p99s: number[] = [];
  const maxes: number[] = [];
  let last = '';
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
        last = text;
        const p99 = metricValue(text, 'nodejs_eventloop_lag_p99_seconds');
        const max = metricValue(text, 'nodejs_eventloop_lag_max_seconds');
        if (p99 !== null) p99s.push(p99 * 1000);
        if (max !== null) maxes.push(max * 1000);
      } catch {
        // A scrape that times out is itself a sign of a blocked loop; the windows around it will show it.
      }
      await new Promise((r) => setTimeout(r, Math.max(0, SCRAPE_MS - (performance.now() - started))));
    }
  })();
  return {
    p99s,
    maxes,
    lastText: () => last,
    async stop() {
      running = false;
      await loop;
    },
  };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status);
  return kb === null ? Number.NaN : Number(kb[1]) / 1024;
}

/** Starts the client threads; resolves once every client is connected. */
function startClients(url: string, arm: Arm, onMessage: (m: FromClientThread) => void): { workers: Worker[]; connected: Promise<number> } {
  const threads = Math.min(Number(args.threads), arm.clients);
  const all: LoadClient[] = Array.from({ length: arm.clients }, (_, i) => {
    const clientId = `load-${String(i).padStart(3, '0')}`;
    return { clientId, token: mintClientToken(SECRET, clientId), numExamples: 100 + (i % 50), seed: i + 1 };
  });
  const workers: Worker[] = [];
  const connections: Promise<number>[] = [];
  for (let t = 0; t < threads; t++) {
    const data: ClientThreadData = { url, clients: all.filter((_, i) => i % threads === t), perturbation: Number(args.perturbation), uploadSpreadMs: arm.uploadSpreadSeconds * 1000 };
    const worker = new Worker(new URL('./load/client-thread-bootstrap.mjs', import.meta.url), { workerData: data });
    workers.push(worker);
    connections.push(
      new Promise<number>((resolve, reject) => {
        worker.on('message', (m: FromClientThread) => {
          if (m.kind === 'connected') resolve(m.seconds);
          else if (m.kind === 'connectFailed') reject(new Error(m.message));
          else onMessage(m);
        });
        worker.once('error', reject);
      }),
    );
  }
  return { workers, connected: Promise.all(connections).then((s) => Math.max(...s)) };
}

async function roundSummaries(url: string): Promise<RoundSummary[]> {
  const list = (await (await fetch(`${url}/api/rounds`, { headers: READ_HEADERS })).json()) as { rounds: { round: number }[] };
  const out: RoundSummary[] = [];
  for (const { round } of list.rounds) {
    const d = (await (await fetch(`${url}/api/rounds/${round}`, { headers: READ_HEADERS })).json()) as {
      state: string;
      participants: number;
      openedAt: number;
      closedAt: number | null;
      fusionSeconds: number | null;
      evaluations: { accuracy: number }[];
      metrics: { seconds?: { training: number; aggregation: number; evaluation: number }; aggregation?: { screening?: { seconds?: number; rejected?: unknown[] } } } | null;
    };
    out.push({
      round,
      state: d.state,
      participants: d.participants,
      seconds: d.closedAt === null ? null : (d.closedAt - d.openedAt) / 1000,
      trainingSeconds: d.metrics?.seconds?.training ?? null,
      aggregationSeconds: d.metrics?.seconds?.aggregation ?? null,
      evaluationSeconds: d.metrics?.seconds?.evaluation ?? null,
      fusionSeconds: d.fusionSeconds,
      screeningSeconds: d.metrics?.aggregation?.screening?.seconds ?? null,
      screenedOut: d.metrics?.aggregation?.screening?.rejected?.length ?? 0,
      accuracy: d.evaluations[0]?.accuracy ?? null,
    });
  }
  return out;
}

async function runArm(arm: Arm): Promise<ArmResult> {
  const rounds = Number(args.rounds);
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-load-'));
  const server = startServer(arm, join(dir, 'fedfuse.sqlite'));
  const started = performance.now();
  const latencies: number[] = [];
  const problems: { clientId: string; what: string; message: string }[] = [];
  const finished = new Set<string>();
  let allFinished!: () => void;
  const done = new Promise<void>((resolve) => (allFinished = resolve));
  let workers: Worker[] = [];
  let scraper: ReturnType<typeof scrapeMetrics> | null = null;
  try {
    const url = await server.url;
    scraper = scrapeMetrics(url);
    const clients = startClients(url, arm, (m) => {
      if (m.kind === 'ack') latencies.push(m.latencyMs);
      else if (m.kind === 'problem') problems.push({ clientId: m.clientId, what: m.what, message: m.message });
      else if (m.kind === 'finished') {
        finished.add(m.clientId);
        if (finished.size === arm.clients) allFinished();
      }
    });
    workers = clients.workers;
    const connectSeconds = await clients.connected;
    const timeoutMs = Number(args['arm-timeout']) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([done.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs)))]);
    clearTimeout(timer);
    const wallSeconds = (performance.now() - started) / 1000;
    await scraper.stop();
    const metricsText = await (await fetch(`${url}/metrics`)).text();
    const details = await roundSummaries(url);
    const accepted = metricValue(metricsText, 'fedfuse_uploads_total', 'result="accepted",code="ok"') ?? 0;
    const rejected: Record<string, number> = {};
    for (const line of metricsText.split('\n')) {
      const m = /^fedfuse_uploads_total\{result="rejected",code="([a-z_]+)"\} (\d+)/.exec(line);
      if (m !== null && Number(m[2]) > 0) rejected[m[1]!] = Number(m[2]);
    }
    const uploadBytes = metricValue(metricsText, 'fedfuse_upload_bytes_total') ?? 0;
    return {
      ...arm,
      rounds,
      roundsCompleted: details.filter((d) => d.state === 'done').length,
      expectedUpdates: arm.clients * rounds,
      accepted,
      rejected,
      acked: latencies.length,
      lost: arm.clients * rounds - latencies.length,
      problems,
      connectSeconds,
      ackLatencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: Math.max(...latencies) },
      uploadBytesMean: accepted > 0 ? uploadBytes / accepted : Number.NaN,
      serverPeakRssMb: peakRssMb(server.child.pid!),
      eventLoopDelayP99Ms: { medianWindow: percentile(scraper.p99s, 50), worstWindow: Math.max(...scraper.p99s) },
      eventLoopDelayMaxMs: Math.max(...scraper.maxes),
      wallSeconds,
      roundDetails: details,
      timedOut,
    };
  } finally {
    await scraper?.stop();
    for (const w of workers) w.postMessage({ kind: 'close' });
    await Promise.all(workers.map((w) => new Promise((r) => setTimeout(r, 500)).then(() => w.terminate())));
    server.child.kill('SIGTERM');
    await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)));
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
      r.ackLatencyMs.p50.toFixed(0),
      r.ackLatencyMs.p99.toFixed(0),
      r.ackLatencyMs.max.toFixed(0),
      r.serverPeakRssMb.toFixed(0),
      `${r.eventLoopDelayP99Ms.medianWindow.toFixed(0)} / ${r.eventLoopDelayP99Ms.worstWindow.toFixed(0)}`,
      r.eventLoopDelayMaxMs.toFixed(0),
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
  const arms: Arm[] = list(args.aggregators).flatMap((aggregator) =>
    list(args.clients).flatMap((clients) => list(args['upload-spread']).map((spread): Arm => ({ clients: Number(clients), aggregator, uploadSpreadSeconds: Number(spread) }))),
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

/** The URL of the server's `listening` log line (JSON), or null for any other line. */
function listeningUrlOf(line: string): string | null {
  if (!line.startsWith('{')) return null;
  try {
    const j = JSON.parse(line) as { event?: unknown; url?: unknown };
    return j.event === 'listening' && typeof j.url === 'string' ? j.url : null;
  } catch {
    return null;
  }
}
