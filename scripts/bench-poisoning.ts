/**
 * Poisoned updates: final test accuracy of federated runs in which some
 * clients send random weights or their trained weights scaled by 100, for
 * each aggregator with screening on and off, plus how many attackers and
 * how many honest clients screening rejected (the false-positive rate).
 *
 *   npm run bench:poisoning -- [--clients 10] [--rounds 5] [--attackers 1,2] [--attacks random,scale100]
 *        [--aggregators fedavg,kf-linear] [--partition dirichlet:0.1] [--model mlp:256] [--seeds 0] [--screening on,off]
 *
 * `--attacks ''` runs honest clients only: with `--screening on --seeds 1,2,3`
 * that measures how often screening rejects an honest update.
 *
 * Each run is a real fedfuse server (createFedfuseServer: SQLite store in a
 * temp dir, fusion and screening in the worker thread) with real
 * FedfuseClients over socket.io on loopback, all in this process; the
 * clients train one at a time (TF.js on the main thread). Attackers are
 * ordinary clients whose `train` replaces local training. Every number in
 * the table is read back from the store. Prints a table and writes
 * results/bench-poisoning.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FedfuseClient, computeLocalUpdate } from '../client/index.ts';
import { initBackend } from '../common/backend/index.ts';
import { loadEmbeddedMnist, parsePartitionScheme, splitForFederation, type Dataset } from '../common/data/index.ts';
import { initNetwork, parseArchitecture, type ModelSpec, type Network } from '../common/model/index.ts';
import { evaluateNetwork } from '../common/training/index.ts';
import type { ClientUpdate, RoundTask } from '../common/wire/index.ts';
import { createWorkerFusionExecutor, type FusionExecutor } from '../server/aggregation/index.ts';
import { createFedfuseServer } from '../server/app.ts';
import { mintClientToken } from '../server/auth/index.ts';
import type { AggregatorName } from '../server/aggregation/index.ts';
import { DEFAULT_RUN_SETTINGS, type OrchestratorEvent } from '../server/rounds/index.ts';
import { withCanonicalParentOrder } from '../server/simulation/canonical-parent-order.ts';
import { openRoundStore, SqliteAsyncRoundStore, type SqliteRoundStore } from '../server/store/index.ts';
import { EMPTY_RECORDS } from '../common/records/index.ts';

/** 'absent': the attackers' clients take no part at all, the best screening can do (the honest clients alone). */
type Attack = 'none' | 'random' | 'scale100' | 'absent';

interface Arm {
  readonly attack: Attack;
  readonly attackers: number;
  readonly aggregator: AggregatorName;
  readonly screening: boolean;
  readonly seed: number;
}

interface ArmResult extends Arm {
  readonly finished: boolean;
  readonly failure: string | null;
  /** Test accuracy after each completed round (round 1 first). */
  readonly accuracyByRound: number[];
  readonly finalAccuracy: number | null;
  /** Updates screening kept out, over all rounds: attackers (true positives) and honest clients (false positives). */
  readonly attackersRejected: number;
  readonly attackerUpdates: number;
  readonly honestRejected: number;
  readonly honestUpdates: number;
  readonly rejectionRules: Record<string, number>;
  readonly screeningSeconds: number[];
  /** What screening measured on each update it saw (screening on only), by who sent it. */
  readonly signals: UpdateSignals[];
  readonly wallSeconds: number;
}

/** One update's screening measurements, as the round metrics record them, and who sent it. */
interface UpdateSignals {
  readonly sender: 'honest' | 'random' | 'scale100';
  readonly round: number;
  readonly distanceToGlobalNorm: number;
  readonly distanceRatio: number;
  readonly distanceZ: number;
  readonly agreement: number | null;
}

const SECRET = 'bench-poisoning-secret-0123456789';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '5' },
    attackers: { type: 'string', default: '1,2' },
    attacks: { type: 'string', default: 'random,scale100' },
    aggregators: { type: 'string', default: 'fedavg,kf-linear' },
    partition: { type: 'string', default: 'dirichlet:0.1' },
    model: { type: 'string', default: 'mlp:256' },
    seeds: { type: 'string', default: '0' },
    screening: { type: 'string', default: 'on,off' },
    epochs: { type: 'string', default: '2' },
    out: { type: 'string', default: 'results/bench-poisoning.json' },
  },
});
const CLIENTS = Number(args.clients);
const ROUNDS = Number(args.rounds);
const EPOCHS = Number(args.epochs);
const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

/** Every combination: a clean baseline (no attacker) and each attack with each attacker count, per aggregator, screening on and off. */
function arms(): Arm[] {
  const out: Arm[] = [];
  const attacks = list(args.attacks) as Attack[];
  for (const seed of list(args.seeds).map(Number)) {
    for (const aggregator of list(args.aggregators) as AggregatorName[]) {
      const cases: [Attack, number][] = [['none', 0], ...attacks.flatMap((a) => list(args.attackers).map((n): [Attack, number] => [a, Number(n)]))];
      for (const [attack, attackers] of cases) for (const screening of list(args.screening)) out.push({ attack, attackers, aggregator, screening: screening === 'on', seed });
      // The reference each attack is measured against: the same run without the attackers' clients (screening has nothing to do there).
      for (const attackers of attacks.length > 0 ? list(args.attackers).map(Number) : []) out.push({ attack: 'absent', attackers, aggregator, screening: true, seed });
    }
  }
  return out;
}

/** Every weight and bias times `factor`. */
function scaled(net: Network, factor: number): Network {
  return { spec: net.spec, layers: net.layers.map((l) => ({ kernel: l.kernel.map((v) => v * factor), kernelShape: l.kernelShape, bias: l.bias === null ? null : l.bias.map((v) => v * factor) })) };
}

/** What a client uploads for a task: honest local training, or one of the attacks. */
function trainerFor(attack: Exclude<Attack, 'absent'>, clientId: string, data: Dataset, seed: number): (task: RoundTask) => Promise<ClientUpdate> {
  const samples = { images: data.images, labels: data.labels, count: data.count };
  if (attack === 'random') {
    // No training at all: a freshly initialised model, new every round, sent as if trained.
    return async (task) => ({
      type: 'clientUpdate',
      runId: task.runId,
      round: task.round,
      clientId,
      model: initNetwork(task.model.spec, seed * 1_000 + task.round),
      attribution: null,
      numExamples: data.count,
      metrics: { loss: 0, accuracy: 0, trainSeconds: 0, attributionSeconds: 0 },
      records: EMPTY_RECORDS,
      localSteps: 0,
    });
  }
  if (attack === 'scale100') {
    return async (task) => {
      const honest = await computeLocalUpdate(task, clientId, samples, seed);
      return { ...honest, model: scaled(honest.model, 100) };
    };
  }
  return (task) => computeLocalUpdate(task, clientId, samples, seed);
}

/** Runs trainings one at a time: they share this thread with the server, and their order is then fixed. */
function serialised<T>(): (work: () => Promise<T>) => Promise<T> {
  let lane: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = lane.then(work);
    lane = run.catch(() => undefined);
    return run;
  };
}

interface Setup {
  readonly spec: ModelSpec;
  readonly clients: Dataset[];
  readonly executor: FusionExecutor;
  readonly initialAccuracy: number;
}

async function setUp(seed: number): Promise<Setup> {
  const data = loadEmbeddedMnist();
  const split = splitForFederation(data, { clients: CLIENTS, scheme: parsePartitionScheme(args.partition), calibrationSize: 400, testSize: 2000, seed });
  const spec = parseArchitecture(args.model, data.sampleShape, data.numClasses);
  // Parents in an order fixed by their content, not by arrival: KF-linear depends on the order, and arms must differ only by what they vary.
  const executor = withCanonicalParentOrder(
    createWorkerFusionExecutor({
      calibration: split.calibration.images,
      test: { images: split.test.images, labels: split.test.labels, count: split.test.count, name: 'mnist-test' },
    }),
  );
  const initial = await evaluateNetwork(initNetwork(spec, seed), split.test.images, split.test.labels, split.test.count);
  return { spec, clients: split.clients, executor, initialAccuracy: initial.accuracy };
}

/** Attackers are the last clients; the honest ones keep their indices whatever the number of attackers. */
function isAttacker(index: number, arm: Arm): boolean {
  return arm.attack !== 'none' && index >= CLIENTS - arm.attackers;
}

/** How many clients take part: all, unless the attackers are absent. */
function participants(arm: Arm): number {
  return arm.attack === 'absent' ? CLIENTS - arm.attackers : CLIENTS;
}

async function runArm(arm: Arm, setup: Setup): Promise<ArmResult> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-poisoning-'));
  // The server writes through the async store (group commit); the results are read back on the same connection once the run ended.
  const sqlite = openRoundStore(join(dir, 'fedfuse.sqlite'));
  const store = new SqliteAsyncRoundStore(sqlite);
  let settle!: (failure: string | null) => void;
  const ended = new Promise<string | null>((resolve) => (settle = resolve));
  const onEvent = (e: OrchestratorEvent): void => {
    if (e.type === 'runFinished') settle(e.state === 'finished' ? null : `run failed: ${e.reason ?? 'no reason'}`);
  };
  const server = createFedfuseServer(
    { store, executor: setup.executor, initialModel: initNetwork(setup.spec, arm.seed), log: onEvent },
    {
      secret: SECRET,
      adminToken: null,
      run: { ...DEFAULT_RUN_SETTINGS, rounds: ROUNDS, minClients: participants(arm), roundTimeoutMs: 600_000, quorum: 1, maxAttempts: 1, seed: arm.seed },
      strategy: {
        aggregator: arm.aggregator,
        importance: 'client',
        training: { epochs: EPOCHS, batchSize: 64, learningRate: 0.001, optimizer: 'adam', proximalMu: 0, attributionMethod: 'grad-x-act', attributionSamples: 200 },
        sampling: { fractionFit: 1, minFitClients: 1 },
        seed: arm.seed,
        screening: { enabled: arm.screening },
      },
      runConfig: { bench: 'poisoning', ...arm },
      pingIntervalMs: 10_000,
      // The clients train on this thread; a long training must not look like a dead connection.
      pingTimeoutMs: 600_000,
    },
  );
  const lane = serialised<ClientUpdate>();
  const clients: FedfuseClient[] = [];
  try {
    const url = await server.listen(0);
    for (const [i, data] of setup.clients.slice(0, participants(arm)).entries()) {
      const clientId = `client-${String(i).padStart(2, '0')}`;
      const train = trainerFor(isAttacker(i, arm) && arm.attack !== 'absent' ? arm.attack : 'none', clientId, data, arm.seed * 100_003 + i + 1);
      const client = new FedfuseClient(url, mintClientToken(SECRET, clientId), {
        clientId,
        data: { images: data.images, labels: data.labels, count: data.count },
        train: (task) => lane(() => train(task)),
        ackTimeoutMs: 600_000,
      });
      clients.push(client);
      await client.connect();
    }
    const failure = await ended;
    return collect(arm, sqlite, failure, (performance.now() - started) / 1000);
  } finally {
    for (const c of clients) c.close();
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ScreeningMetrics {
  readonly seconds?: number;
  readonly rejected?: { clientId: string; rule: string }[];
  readonly updates?: { clientId: string; distanceToGlobalNorm: number; distanceRatio: number; distanceZ: number; agreement: number | null }[];
}

/** Everything from the store: accuracy per round and what screening decided. */
function collect(arm: Arm, store: SqliteRoundStore, failure: string | null, wallSeconds: number): ArmResult {
  const run = store.latestRun()!;
  const accuracyByRound = store.listEvaluations(run.id).filter((e) => e.round > 0).map((e) => e.accuracy);
  const attackerIds = new Set(Array.from({ length: CLIENTS }, (_, i) => i).filter((i) => isAttacker(i, arm)).map((i) => `client-${String(i).padStart(2, '0')}`));
  let attackersRejected = 0;
  let attackerUpdates = 0;
  let honestRejected = 0;
  let honestUpdates = 0;
  const rejectionRules: Record<string, number> = {};
  const screeningSeconds: number[] = [];
  const signals: UpdateSignals[] = [];
  for (const round of store.listRounds(run.id)) {
    const screening = (round.metrics as { aggregation?: { screening?: ScreeningMetrics } } | null)?.aggregation?.screening;
    for (const u of store.listUpdates(run.id, round.round)) {
      if (attackerIds.has(u.clientId)) attackerUpdates++;
      else honestUpdates++;
    }
    if (screening?.seconds !== undefined) screeningSeconds.push(screening.seconds);
    for (const u of screening?.updates ?? []) {
      const sender = attackerIds.has(u.clientId) && arm.attack !== 'none' && arm.attack !== 'absent' ? arm.attack : 'honest';
      signals.push({ sender, round: round.round, distanceToGlobalNorm: u.distanceToGlobalNorm, distanceRatio: u.distanceRatio, distanceZ: u.distanceZ, agreement: u.agreement });
    }
    for (const r of screening?.rejected ?? []) {
      if (attackerIds.has(r.clientId)) attackersRejected++;
      else honestRejected++;
      rejectionRules[r.rule] = (rejectionRules[r.rule] ?? 0) + 1;
    }
  }
  const finalAccuracy = failure === null ? (accuracyByRound.at(-1) ?? null) : null;
  return { ...arm, finished: failure === null, failure, accuracyByRound, finalAccuracy, attackersRejected, attackerUpdates, honestRejected, honestUpdates, rejectionRules, screeningSeconds, signals, wallSeconds };
}

function attackLabel(r: Arm): string {
  if (r.attack === 'none') return 'none';
  if (r.attack === 'absent') return `${r.attackers} absent (honest only)`;
  return `${r.attackers} x ${r.attack === 'random' ? 'random weights' : 'weights x100'}`;
}

interface SummaryRow {
  readonly attack: string;
  readonly aggregator: string;
  readonly screening: boolean;
  readonly runs: number;
  readonly failedRuns: number;
  readonly meanFinalAccuracy: number | null;
  readonly minFinalAccuracy: number | null;
  readonly maxFinalAccuracy: number | null;
  readonly attackersRejected: string;
  readonly honestRejected: string;
}

/** One row per attack x aggregator x screening: final accuracy over the seeds (a failed run counts apart). */
function summarise(results: readonly ArmResult[]): SummaryRow[] {
  const groups = new Map<string, ArmResult[]>();
  for (const r of results) {
    const key = `${attackLabel(r)}|${r.aggregator}|${r.screening}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const finals = rs.map((r) => r.finalAccuracy).filter((a): a is number => a !== null);
    const sum = (f: (r: ArmResult) => number): number => rs.reduce((s, r) => s + f(r), 0);
    const first = rs[0]!;
    return {
      attack: attackLabel(first),
      aggregator: first.aggregator,
      screening: first.screening,
      runs: rs.length,
      failedRuns: rs.length - finals.length,
      meanFinalAccuracy: finals.length === 0 ? null : finals.reduce((a, b) => a + b, 0) / finals.length,
      minFinalAccuracy: finals.length === 0 ? null : Math.min(...finals),
      maxFinalAccuracy: finals.length === 0 ? null : Math.max(...finals),
      attackersRejected: first.screening ? `${sum((r) => r.attackersRejected)}/${sum((r) => r.attackerUpdates)}` : '-',
      honestRejected: first.screening ? `${sum((r) => r.honestRejected)}/${sum((r) => r.honestUpdates)}` : '-',
    };
  });
}

function printTable(rows: readonly SummaryRow[], initialAccuracy: number, seeds: number): void {
  const pct = (a: number | null): string => (a === null ? '-' : `${(a * 100).toFixed(1)}%`);
  const table = [['attack', 'aggregator', 'screening', seeds > 1 ? `final accuracy (mean of ${seeds} seeds [min-max])` : 'final accuracy', 'failed runs', 'attacker updates rejected', 'honest updates rejected']];
  for (const r of rows) {
    table.push([
      r.attack,
      r.aggregator,
      r.screening ? 'on' : 'off',
      seeds > 1 ? `${pct(r.meanFinalAccuracy)} [${pct(r.minFinalAccuracy)}-${pct(r.maxFinalAccuracy)}]` : pct(r.meanFinalAccuracy),
      `${r.failedRuns}/${r.runs}`,
      r.attackersRejected,
      r.honestRejected,
    ]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  console.log(`initial model accuracy ${pct(initialAccuracy)} (last seed)`);
  table.forEach((row, i) => {
    console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  });
}

interface SignalRange {
  readonly sender: string;
  readonly updates: number;
  readonly distanceToGlobalNorm: [number, number];
  readonly distanceRatio: [number, number];
  readonly distanceZ: [number, number];
  readonly agreement: [number, number];
}

/** Range of each screening measurement per kind of sender: how far apart honest updates and attacks lie, next to the thresholds. */
function signalRanges(results: readonly ArmResult[]): SignalRange[] {
  const all = results.flatMap((r) => r.signals);
  const range = (values: number[]): [number, number] => (values.length === 0 ? [Number.NaN, Number.NaN] : [Math.min(...values), Math.max(...values)]);
  return (['honest', 'random', 'scale100'] as const)
    .map((sender) => {
      const mine = all.filter((s) => s.sender === sender);
      return {
        sender,
        updates: mine.length,
        distanceToGlobalNorm: range(mine.map((s) => s.distanceToGlobalNorm)),
        distanceRatio: range(mine.map((s) => s.distanceRatio)),
        distanceZ: range(mine.map((s) => s.distanceZ)),
        agreement: range(mine.map((s) => s.agreement).filter((a): a is number => a !== null)),
      };
    })
    .filter((r) => r.updates > 0);
}

function printSignalRanges(ranges: readonly SignalRange[]): void {
  const f = ([lo, hi]: [number, number]): string => `${lo.toPrecision(3)} .. ${hi.toPrecision(3)}`;
  console.log('screening measurements (min .. max), as recorded in the round metrics:');
  for (const r of ranges) {
    console.log(`  ${r.sender.padEnd(8)} ${String(r.updates).padStart(4)} updates: distance/|global| ${f(r.distanceToGlobalNorm)}, distance/median ${f(r.distanceRatio)}, robust z ${f(r.distanceZ)}, agreement ${f(r.agreement)}`);
  }
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const startedAt = new Date().toISOString();
  const load = loadavg();
  const results: ArmResult[] = [];
  let initialAccuracy = 0;
  const bySeed = new Map<number, Arm[]>();
  for (const arm of arms()) bySeed.set(arm.seed, [...(bySeed.get(arm.seed) ?? []), arm]);
  for (const [seed, seedArms] of bySeed) {
    const setup = await setUp(seed);
    initialAccuracy = setup.initialAccuracy;
    try {
      for (const arm of seedArms) {
        const r = await runArm(arm, setup);
        console.error(`${attackLabel(r)} / ${r.aggregator} / screening ${r.screening ? 'on' : 'off'} / seed ${seed}: ${r.finalAccuracy === null ? r.failure : (r.finalAccuracy * 100).toFixed(1) + '%'} (${r.wallSeconds.toFixed(0)} s)`);
        results.push(r);
      }
    } finally {
      await setup.executor.close();
    }
  }
  const summary = summarise(results);
  printTable(summary, initialAccuracy, bySeed.size);
  const ranges = signalRanges(results);
  printSignalRanges(ranges);
  const screened = results.filter((r) => r.screening);
  const honestRejected = screened.reduce((s, r) => s + r.honestRejected, 0);
  const honestUpdates = screened.reduce((s, r) => s + r.honestUpdates, 0);
  const attackersRejected = screened.reduce((s, r) => s + r.attackersRejected, 0);
  const attackerUpdates = screened.reduce((s, r) => s + r.attackerUpdates, 0);
  console.log(`screening: honest updates rejected ${honestRejected}/${honestUpdates} (false-positive rate ${((100 * honestRejected) / Math.max(1, honestUpdates)).toFixed(2)}%), attacker updates rejected ${attackersRejected}/${attackerUpdates}`);
  mkdirSync('results', { recursive: true });
  writeFileSync(
    args.out,
    JSON.stringify(
      {
        bench: 'poisoning',
        startedAt,
        command: `npm run bench:poisoning -- ${process.argv.slice(2).join(' ')}`.trim(),
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, backend, loadAverageAtStart: load },
        settings: { clients: CLIENTS, rounds: ROUNDS, epochs: EPOCHS, partition: args.partition, model: args.model, calibration: 400, test: 2000, attribution: 'grad-x-act' },
        initialAccuracy,
        falsePositives: { honestRejected, honestUpdates },
        truePositives: { attackersRejected, attackerUpdates },
        summary,
        signalRanges: ranges,
        results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${args.out}`);
}

await main();
