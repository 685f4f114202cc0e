/**
 * One load arm against a real `fedfuse server` child process: N real
 * FedfuseClients in worker threads (scripts/load/client-thread.ts), each on
 * its own socket.io connection, uploading a ~1 MB perturbed copy of the
 * global model per round (no training, so hundreds fit on two cores).
 * Measures what bench-load (and bench-scale --part burst) report: accepted,
 * lost, acknowledgement latency (client side), the server's peak RSS
 * (/proc VmHWM) and event-loop delay (its /metrics, one value per 1 s
 * scrape window).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mintClientToken } from '../../server/auth/index.ts';
import { percentile } from '../scale/stats.ts';
import type { ClientThreadData, FromClientThread, LoadClient } from './client-thread-protocol.ts';

const SECRET = 'bench-load-secret-0123456789abcdef';
/** Reads the round details (metrics, screening) under --read-api private. */
const READ_TOKEN = 'bench-load-read-token';
const READ_HEADERS = { authorization: `Bearer ${READ_TOKEN}` };
const BIN = fileURLToPath(new URL('../../server/cli/bin.mjs', import.meta.url));
const SCRAPE_MS = 1_000;

/** How every arm of a benchmark runs (bench-load's flags). */
export interface LoadSettings {
  readonly rounds: number;
  readonly threads: number;
  /** `--model` of the server, e.g. mlp:320 (784-320-10: 1,017,875-byte updates). */
  readonly model: string;
  readonly testSize: number;
  readonly screening: 'on' | 'off';
  readonly perturbation: number;
  readonly armTimeoutSeconds: number;
  /** Extra `node` flags for the server process (e.g. --cpu-prof); default none. */
  readonly serverNodeArgs?: readonly string[];
}

export interface Arm {
  readonly clients: number;
  readonly aggregator: string;
  /** Clients upload at random times over this many seconds after their task arrives; 0 = all at once. */
  readonly uploadSpreadSeconds: number;
  /** The server's `--db`: a SQLite file or a postgres:// URL. */
  readonly db: string;
}

export interface RoundSummary {
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

export interface ArmResult extends Arm {
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


/** The value of an unlabelled Prometheus sample, or of the sample with exactly these labels. */
function metricValue(text: string, name: string, labels = ''): number | null {
  const prefix = labels === '' ? `${name} ` : `${name}{${labels}} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? null : Number(line.slice(prefix.length));
}

function startServer(arm: Arm, settings: LoadSettings): { child: ChildProcess; url: Promise<string>; output: string[] } {
  const rounds = settings.rounds;
  const child = spawn(
    process.execPath,
    [
      ...(settings.serverNodeArgs ?? []),
      BIN, 'server',
      '--port', '0', '--db', arm.db, '--secret', SECRET, '--read-token', READ_TOKEN, '--log-level', 'info',
      '--model', settings.model, '--rounds', String(rounds), '--min-clients', String(arm.clients),
      '--aggregator', arm.aggregator, '--importance', 'uniform',
      '--test-size', String(settings.testSize), '--round-timeout', '600',
      '--screening', settings.screening,
      // Every simulated client connects from 127.0.0.1, standing in for as many machines: the per-address cap
      // (default 32) would refuse them; the cap in total stays the default.
      '--max-connections-per-address', String(Math.min(1000, arm.clients + 16)),
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
function startClients(url: string, arm: Arm, settings: LoadSettings, onMessage: (m: FromClientThread) => void): { workers: Worker[]; connected: Promise<number> } {
  const threads = Math.min(settings.threads, arm.clients);
  const all: LoadClient[] = Array.from({ length: arm.clients }, (_, i) => {
    const clientId = `load-${String(i).padStart(3, '0')}`;
    return { clientId, token: mintClientToken(SECRET, clientId), numExamples: 100 + (i % 50), seed: i + 1 };
  });
  const workers: Worker[] = [];
  const connections: Promise<number>[] = [];
  for (let t = 0; t < threads; t++) {
    const data: ClientThreadData = { url, clients: all.filter((_, i) => i % threads === t), perturbation: settings.perturbation, uploadSpreadMs: arm.uploadSpreadSeconds * 1000 };
    const worker = new Worker(new URL('./client-thread-bootstrap.mjs', import.meta.url), { workerData: data });
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

/** Runs one arm: the server on `arm.db` (the caller makes and removes it), the clients, until every client has the final model. */
export async function runLoadArm(arm: Arm, settings: LoadSettings): Promise<ArmResult> {
  const rounds = settings.rounds;
  const server = startServer(arm, settings);
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
    const clients = startClients(url, arm, settings, (m) => {
      if (m.kind === 'ack') latencies.push(m.latencyMs);
      else if (m.kind === 'problem') problems.push({ clientId: m.clientId, what: m.what, message: m.message });
      else if (m.kind === 'finished') {
        finished.add(m.clientId);
        if (finished.size === arm.clients) allFinished();
      }
    });
    workers = clients.workers;
    const connectSeconds = await clients.connected;
    const timeoutMs = settings.armTimeoutSeconds * 1000;
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
  }
}

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

/** The table cells every load table shows for an arm: ack p50 / p99 / max (ms), server peak RSS (MB), event-loop delay. */
export function ackAndLoopCells(r: ArmResult): string[] {
  return [
    r.ackLatencyMs.p50.toFixed(0),
    r.ackLatencyMs.p99.toFixed(0),
    r.ackLatencyMs.max.toFixed(0),
    r.serverPeakRssMb.toFixed(0),
    `${r.eventLoopDelayP99Ms.medianWindow.toFixed(0)} / ${r.eventLoopDelayP99Ms.worstWindow.toFixed(0)}`,
    r.eventLoopDelayMaxMs.toFixed(0),
  ];
}
