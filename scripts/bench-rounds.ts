/**
 * Round wall time of the real server with real client processes on loopback,
 * split into training / upload / fusion / evaluation / broadcast, the
 * server's event-loop delay while the worker thread fuses, and the upload
 * size per client.
 *
 *   npm run bench:rounds -- [--clients 10] [--rounds 3] [--model mlp:256] [--aggregator kf-linear]
 *
 * The server runs in this process (so its event loop is the one measured),
 * fusion in its worker thread; each client is a `fedfuse client` child
 * process with its own socket.io connection. Prints a table and writes
 * results/bench-rounds.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '../common/backend/index.ts';
import { carveHoldout, loadEmbeddedMnist, subset } from '../common/data/index.ts';
import { initNetwork, parseArchitecture } from '../common/model/index.ts';
import { createWorkerFusionExecutor } from '../server/aggregation/index.ts';
import { createFedfuseServer } from '../server/app.ts';
import { mintClientToken } from '../server/auth/index.ts';
import type { AggregatorName } from '../server/aggregation/index.ts';
import { DEFAULT_RUN_SETTINGS, type OrchestratorEvent } from '../server/rounds/index.ts';
import { openRoundStore, SqliteAsyncRoundStore } from '../server/store/index.ts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    model: { type: 'string', default: 'mlp:256' },
    aggregator: { type: 'string', default: 'kf-linear' },
    attribution: { type: 'string', default: 'conductance' },
  },
});
const CLIENTS = Number(args.clients);
const ROUNDS = Number(args.rounds);
const SECRET = 'bench-rounds-secret-0123456789';
const BIN = fileURLToPath(new URL('../server/cli/bin.mjs', import.meta.url));
const CALIBRATION = 400;
const TEST = 1000;

interface ClientLine {
  at: number;
  clientId: string;
  text: string;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const data = loadEmbeddedMnist();
  const holdout = carveHoldout(data.labels, { testSize: TEST, calibrationSize: CALIBRATION, seed: 0 });
  const calibration = subset(data, holdout.calibration);
  const test = subset(data, holdout.test);
  const spec = parseArchitecture(args.model, data.sampleShape, data.numClasses);
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-bench-rounds-'));
  // The server writes through the async store (group commit); the table is read back on the same connection once it has stopped.
  const sqlite = openRoundStore(join(dir, 'bench.sqlite'));
  const store = new SqliteAsyncRoundStore(sqlite);
  const executor = createWorkerFusionExecutor({ calibration: calibration.images, test: { images: test.images, labels: test.labels, count: test.count, name: 'mnist-test' } });

  const events: Array<{ at: number; event: OrchestratorEvent }> = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const fusionLoopDelays: Array<{ round: number; p50: number; p99: number; max: number }> = [];
  let finished: () => void = () => {};
  const runFinished = new Promise<void>((r) => (finished = r));
  const server = createFedfuseServer(
    {
      store,
      executor,
      initialModel: initNetwork(spec, 0),
      log: (event) => {
        events.push({ at: Date.now(), event });
        if (event.type === 'phase' && event.phase === 'aggregating') {
          loopDelay.reset();
          loopDelay.enable();
        }
        if (event.type === 'phase' && event.phase === 'evaluating') {
          loopDelay.disable();
          fusionLoopDelays.push({ round: event.round, p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 });
        }
        if (event.type === 'runFinished') finished();
      },
    },
    {
      secret: SECRET,
      adminToken: null,
      run: { ...DEFAULT_RUN_SETTINGS, rounds: ROUNDS, minClients: CLIENTS, roundTimeoutMs: 600_000 },
      strategy: {
        aggregator: args.aggregator as AggregatorName,
        importance: 'client',
        training: { epochs: 1, batchSize: 32, learningRate: 0.001, optimizer: 'adam', proximalMu: 0, attributionMethod: args.attribution as 'conductance', attributionSamples: 500 },
        sampling: { fractionFit: 1, minFitClients: 1 },
        seed: 0,
      },
      runConfig: { bench: 'rounds' },
      pingIntervalMs: 25_000,
      pingTimeoutMs: 120_000,
    },
  );
  const url = await server.listen(0);
  const clientLines: ClientLine[] = [];
  const children = Array.from({ length: CLIENTS }, (_, i) => {
    const child = spawn(
      process.execPath,
      [BIN, 'client', '--server', url, '--token', mintClientToken(SECRET, `c${i}`), '--data', 'mnist', '--partition', 'dirichlet:0.5', '--client-index', String(i), '--num-clients', String(CLIENTS), '--calibration-size', String(CALIBRATION), '--test-size', String(TEST), '--seed', String(i)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let buf = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^(\S+) (c\d+): (.*)$/.exec(line);
        if (m) clientLines.push({ at: Date.parse(m[1]!), clientId: m[2]!, text: m[3]! });
      }
    });
    return child;
  });
  const started = Date.now();
  await runFinished;
  const wallSeconds = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 1000));

  const run = sqlite.latestRun()!;
  const rows = sqlite.listRounds(run.id).map((r) => {
    const updates = sqlite.listUpdates(run.id, r.round);
    const metrics = r.metrics as { seconds: { training: number; aggregation: number; evaluation: number } };
    const opened = events.find((e) => e.event.type === 'roundOpened' && e.event.round === r.round)!.at;
    const completed = events.find((e) => e.event.type === 'roundCompleted' && e.event.round === r.round)!.at;
    const train = updates.map((u) => (u.clientMetrics as { trainSeconds: number }).trainSeconds);
    const attribution = updates.map((u) => (u.clientMetrics as { attributionSeconds: number }).attributionSeconds);
    const uploads = [...new Set(clientLines.map((l) => l.clientId))].flatMap((id) => {
      const sent = clientLines.find((l) => l.clientId === id && l.text.startsWith(`round ${r.round}: trained`));
      const acked = clientLines.find((l) => l.clientId === id && l.text.startsWith(`round ${r.round}: update`));
      return sent && acked ? [(acked.at - sent.at) / 1000] : [];
    });
    const received = clientLines.filter((l) => l.text.startsWith(`global model of round ${r.round}`)).map((l) => (l.at - completed) / 1000);
    const loop = fusionLoopDelays.find((d) => d.round === r.round);
    return {
      round: r.round,
      roundSeconds: (completed - opened) / 1000,
      trainingPhaseSeconds: metrics.seconds.training,
      clientTrainSecondsMedian: percentile(train, 50),
      clientAttributionSecondsMedian: percentile(attribution, 50),
      uploadSecondsMedian: percentile(uploads, 50),
      uploadSecondsMax: Math.max(...uploads),
      fusionSeconds: r.fusionSeconds!,
      aggregationWallSeconds: metrics.seconds.aggregation,
      evaluationSeconds: metrics.seconds.evaluation,
      broadcastSecondsMax: Math.max(...received),
      uploadBytesPerClient: Math.round(percentile(updates.map((u) => u.byteSize), 50)),
      eventLoopDelayDuringFusionP99Ms: loop?.p99 ?? NaN,
      eventLoopDelayDuringFusionMaxMs: loop?.max ?? NaN,
      accuracy: sqlite.listEvaluations(run.id).find((e) => e.round === r.round)?.accuracy ?? NaN,
    };
  });

  const machine = { cores: cpus().length, node: process.version, backend };
  const result = { date: new Date().toISOString(), machine, clients: CLIENTS, rounds: ROUNDS, model: args.model, aggregator: args.aggregator, attribution: args.attribution, wallSeconds, rows };
  mkdirSync('results', { recursive: true });
  writeFileSync('results/bench-rounds.json', `${JSON.stringify(result, null, 2)}\n`);
  const f = (v: number, d = 2): string => (Number.isFinite(v) ? v.toFixed(d) : '-');
  console.log(`\n${CLIENTS} clients, ${args.model}, ${args.aggregator}, attribution ${args.attribution}, ${machine.cores} cores, ${backend}; wall ${f(wallSeconds, 1)} s`);
  console.log('| round | round s | training phase s | client train s (median) | client attribution s (median) | upload s (median / max) | fusion s | evaluation s | broadcast s (max) | upload bytes / client | event-loop p99 / max during fusion, ms | test accuracy |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.round} | ${f(r.roundSeconds)} | ${f(r.trainingPhaseSeconds)} | ${f(r.clientTrainSecondsMedian)} | ${f(r.clientAttributionSecondsMedian)} | ${f(r.uploadSecondsMedian, 3)} / ${f(r.uploadSecondsMax, 3)} | ${f(r.fusionSeconds)} | ${f(r.evaluationSeconds)} | ${f(r.broadcastSecondsMax, 3)} | ${r.uploadBytesPerClient} | ${f(r.eventLoopDelayDuringFusionP99Ms, 1)} / ${f(r.eventLoopDelayDuringFusionMaxMs, 1)} | ${f(r.accuracy * 100, 2)}% |`,
    );
  }
  for (const c of children) c.kill('SIGTERM');
  await server.close();
  await executor.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
