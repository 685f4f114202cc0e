/**
 * Federated benchmark at full size (issue 11): neuron fusion in fedfuse's
 * round design against every baseline, through the real server and real
 * clients (`fedfuse simulate`'s engine).
 *
 *   node --import tsx scripts/bench-federated.ts [--quick] [--only mlp|cnn|one-shot|design] [--experiment ID,...] [--arms a,b] [--replot]
 *   node --import tsx scripts/bench-federated.ts --merge a.json b.json ...   (reports of processes run side by side)
 *
 * Fashion-MNIST (Debian's dataset-fashion-mnist): all 60,000 training images
 * dealt to 20 clients; the 400-sample calibration set and the 9,600-sample
 * test set are disjoint parts of the 10,000 t10k images (--calibration-from
 * test). Fraction 0.5 (10 clients a round), E = 2 local epochs, Adam 1e-3,
 * batch 64, the same for every arm. Dirichlet 0.1, Dirichlet 0.5 and
 * shards:2 with MLP 784-256-10; Dirichlet 0.1 with cnn:small too.
 *
 * How it fits in about two hours on 2 cores:
 * - 30-round curves with seed 0: every aggregator for the MLP; for the CNN
 *   (about 50 s a round) kf-linear and fedavg-prior only. FedAvg's CNN curve
 *   is kf-linear's training model: kf-linear's clients train from the FedAvg
 *   average of their updates, so that model is exactly FedAvg's global model
 *   (same updates, seeds and sampling); the MLP runs check this against a
 *   separate fedavg run and report the largest difference.
 * - one-shot (round 1) with seeds 0, 1, 2 for every aggregator, MLP and CNN.
 * --quick: 3 rounds, a tenth of the data, two arms: a smoke run (< 10 min), not a measurement.
 * --only design (not in the default run): the measurement that chose the round
 *   design (docs/federated-fusion.md): kf-linear on the three MLP partitions,
 *   30 rounds, with the clients training from the served model (the design
 *   before 2026-12) and from the average without the start model as a parent;
 *   the tables put them beside the default kf-linear run of the mlp group.
 * Splitting over processes: --experiment and --only pick what one process
 *   runs (each in its own checkout, since each writes results/), --arms
 *   narrows an experiment's arms; --merge reads their reports (a later file's
 *   experiment replaces an earlier one with the same id) and writes the tables.
 * Writes results/bench-federated.json (every simulation's results.json),
 * results/bench-federated.md (the tables for docs/benchmarks.md) and each
 * simulation's accuracy plot under results/bench-federated/<experiment>/, and
 * one plot per figure of curves (served models only) under results/bench-federated/plots/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FASHION_MNIST_DIR, findIdxSplitFiles } from '../common/data/index.ts';
import { describeEvent, resolveSimulationOptions, runSimulation, type RawSimulationOptions, type SimulationEvent, type SimulationResults } from '../server/simulation/index.ts';
import { writeCurvePlots } from './bench/federated-plots.ts';
import { curveFigures, federatedTables, type BenchExperiment } from './bench/federated-tables.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'results');
const OUT_DIR = path.join(RESULTS_DIR, 'bench-federated');
const QUICK = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? process.argv[onlyArg + 1] : undefined;
const listArg = (flag: string): string[] | undefined => {
  const i = process.argv.indexOf(flag);
  return i < 0 ? undefined : (process.argv[i + 1] ?? '').split(',').filter((x) => x !== '');
};
const EXPERIMENT_IDS = listArg('--experiment');
const ARMS = listArg('--arms');
const mergeArg = process.argv.indexOf('--merge');
const MERGE_FILES = mergeArg < 0 ? undefined : process.argv.slice(mergeArg + 1).filter((x) => !x.startsWith('--'));
const ROUNDS = QUICK ? 3 : 30;

/** Every aggregator of issue 11; kf-linear with the server's round design (its defaults). */
const ALL_ARMS = ['kf-linear:uniform', 'fedavg', 'fedavg-prior', 'fedprox', 'scaffold', 'feddf', 'fednova'];
const QUICK_ARMS = ['kf-linear:uniform', 'fedavg-prior'];
const CNN_LONG_ARMS = ['kf-linear:uniform', 'fedavg-prior'];

const COMMON: RawSimulationOptions = {
  dataset: 'fashion-mnist',
  calibrationFrom: 'test',
  calibration: '400',
  testSize: '9600',
  clients: '20',
  fraction: '0.5',
  localEpochs: '2',
  batchSize: '64',
  lr: '0.001',
  optimizer: 'adam',
  targetAccuracy: '0.8',
  ...(QUICK ? { clientSamples: '6000' } : {}),
};

function experiment(id: string, group: BenchExperiment['group'], title: string, partition: string, model: string, arms: readonly string[], rounds: number, seeds: string, design: RawSimulationOptions = {}): BenchExperiment {
  return {
    id,
    group,
    title,
    partition,
    model,
    options: {
      ...COMMON,
      ...design,
      partition,
      model,
      rounds: String(rounds),
      seeds,
      aggregator: [...(ARMS ?? (QUICK ? QUICK_ARMS : arms))],
      out: path.join(OUT_DIR, id),
      csv: path.join(OUT_DIR, id, 'rounds.csv'),
      discardDb: true,
    },
  };
}

const PARTITIONS = [
  ['dirichlet:0.1', 'Dirichlet 0.1'],
  ['dirichlet:0.5', 'Dirichlet 0.5'],
  ['shards:2', 'shards:2'],
] as const;

/** The round designs kf-linear's default is measured against (docs/federated-fusion.md, The round design). */
const DESIGNS: readonly (readonly [string, string, RawSimulationOptions])[] = [
  ['served', 'clients train from the served fused model (before 2026-12)', { trainFrom: 'served', startModelParent: 'off' }],
  ['average-no-parent', 'clients train from the average, no start-model parent', { trainFrom: 'average', startModelParent: 'off' }],
];

const EXPERIMENTS: BenchExperiment[] = [
  ...PARTITIONS.map(([p, name]) => experiment(`mlp-${p.replace(':', '-')}`, 'mlp', `MLP 784-256-10, ${name}, ${ROUNDS} rounds`, p, 'mlp:256', ALL_ARMS, ROUNDS, '0')),
  experiment('cnn-dirichlet-0.1', 'cnn', `cnn:small, Dirichlet 0.1, ${ROUNDS} rounds`, 'dirichlet:0.1', 'cnn:small', CNN_LONG_ARMS, ROUNDS, '0'),
  ...PARTITIONS.map(([p, name]) => experiment(`one-shot-mlp-${p.replace(':', '-')}`, 'one-shot', `one-shot, MLP, ${name}, seeds 0,1,2`, p, 'mlp:256', ALL_ARMS, 1, '0,1,2')),
  experiment('one-shot-cnn-dirichlet-0.1', 'one-shot', 'one-shot, cnn:small, Dirichlet 0.1, seeds 0,1,2', 'dirichlet:0.1', 'cnn:small', ALL_ARMS, 1, '0,1,2'),
  ...PARTITIONS.flatMap(([p, name]) =>
    DESIGNS.map(([design, what, options]) =>
      experiment(`design-${design}-mlp-${p.replace(':', '-')}`, 'design', `round design: ${what}; kf-linear, MLP, ${name}, ${ROUNDS} rounds`, p, 'mlp:256', ['kf-linear:uniform'], ROUNDS, '0', options),
    ),
  ),
];

/** What one process runs: --experiment, else --only's group, else every group but design. */
function selected(e: BenchExperiment): boolean {
  if (EXPERIMENT_IDS !== undefined) return EXPERIMENT_IDS.includes(e.id);
  return ONLY === undefined ? e.group !== 'design' : e.group === ONLY;
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

async function simulate(e: BenchExperiment): Promise<SimulationResults> {
  const options = resolveSimulationOptions(e.options);
  log(`${e.title}: starting (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  return runSimulation(options, (ev: SimulationEvent) => {
    const line = describeEvent(ev, true);
    if (line !== null) log(`[${e.id}] ${line}`);
  });
}

export interface BenchReport {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: string;
  readonly command: string;
  readonly totalSeconds: number;
  readonly loadAverages: readonly number[];
  readonly experiments: readonly { readonly experiment: BenchExperiment; readonly results: SimulationResults; readonly seconds: number }[];
}

async function runBenchmark(previous: BenchReport | null): Promise<BenchReport> {
  if (findIdxSplitFiles(FASHION_MNIST_DIR, 'train') === undefined) {
    throw new Error(`Fashion-MNIST is not installed (${FASHION_MNIST_DIR}): apt-get install dataset-fashion-mnist`);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, TF.js wasm backend (single-threaded in Node)`;
  log(`bench-federated${QUICK ? ' --quick (smoke run, not a measurement)' : ''}: ${machine}`);
  const started = performance.now();
  const loads: number[] = [];
  // --only / --experiment rerun a part and keep the other experiments' results from the previous report.
  const rerunsPart = ONLY !== undefined || EXPERIMENT_IDS !== undefined;
  const kept = previous === null || !rerunsPart ? [] : previous.experiments.filter((x) => !selected(x.experiment));
  const experiments = [...kept];
  for (const e of EXPERIMENTS.filter(selected)) {
    const t0 = performance.now();
    loads.push(loadavg()[0]!);
    const results = await simulate(e);
    experiments.push({ experiment: e, results, seconds: (performance.now() - t0) / 1000 });
    log(`${e.title}: done in ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
    writeFileSync(REPORT_FILE, `${JSON.stringify(partial(), null, 2)}\n`);
  }
  function partial(): BenchReport {
    return {
      date: new Date().toISOString(),
      quick: QUICK,
      machine,
      command:
        `node --import tsx scripts/bench-federated.ts${QUICK ? ' --quick' : ''}${ONLY === undefined ? '' : ` --only ${ONLY}`}` +
        `${EXPERIMENT_IDS === undefined ? '' : ` --experiment ${EXPERIMENT_IDS.join(',')}`}${ARMS === undefined ? '' : ` --arms ${ARMS.join(',')}`}`,
      totalSeconds: experiments.reduce((s, x) => s + x.seconds, 0),
      loadAverages: loads,
      experiments,
    };
  }
  log(`total ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  return partial();
}

const REPORT_FILE = path.join(RESULTS_DIR, QUICK ? 'bench-federated-quick.json' : 'bench-federated.json');

function readPrevious(): BenchReport | null {
  try {
    return JSON.parse(readFileSync(REPORT_FILE, 'utf8')) as BenchReport;
  } catch {
    return null;
  }
}

/**
 * Two processes' copies of one experiment: the same experiment with different
 * --arms (same partitions and initial model, checked by fingerprint) is one
 * table with the runs of both; an arm in both is the later one's.
 */
function combine(earlier: BenchReport['experiments'][number] | undefined, later: BenchReport['experiments'][number]): BenchReport['experiments'][number] {
  if (earlier === undefined) return later;
  const [a, b] = [earlier.results, later.results];
  if (a.data.partitionFingerprint !== b.data.partitionFingerprint || a.data.initialModelFingerprint !== b.data.initialModelFingerprint || a.seeds.join() !== b.seeds.join()) {
    throw new Error(`--merge: two reports hold ${later.experiment.id} with other partitions, initial model or seeds`);
  }
  const laterLabels = new Set(b.runs.map((r) => r.label));
  const results: SimulationResults = {
    ...a,
    command: [...a.command, ';', ...b.command],
    runs: [...a.runs.filter((r) => !laterLabels.has(r.label)), ...b.runs],
    arms: [...a.arms.filter((x) => !laterLabels.has(x.label)), ...b.arms],
  };
  return { experiment: later.experiment, results, seconds: earlier.seconds + later.seconds };
}

/** One report from several processes' reports: experiments in EXPERIMENTS' order, a later file's copy of an id winning. */
function mergeReports(files: readonly string[]): BenchReport {
  const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchReport);
  if (reports.length === 0) throw new Error('--merge needs the report files to merge');
  const byId = new Map<string, BenchReport['experiments'][number]>();
  for (const r of reports) for (const x of r.experiments) byId.set(x.experiment.id, combine(byId.get(x.experiment.id), x));
  const order = (id: string): number => {
    const i = EXPERIMENTS.findIndex((e) => e.id === id);
    return i < 0 ? EXPERIMENTS.length : i;
  };
  const experiments = [...byId.values()].sort((a, b) => order(a.experiment.id) - order(b.experiment.id));
  return {
    date: reports.map((r) => r.date).sort().at(-1)!,
    quick: reports.some((r) => r.quick),
    machine: reports[0]!.machine,
    command: `${reports.length} processes in parallel: ${reports.map((r) => r.command).join('; ')}`,
    totalSeconds: experiments.reduce((s, x) => s + x.seconds, 0),
    loadAverages: reports.flatMap((r) => r.loadAverages),
    experiments,
  };
}

mkdirSync(RESULTS_DIR, { recursive: true });
const report = MERGE_FILES !== undefined ? mergeReports(MERGE_FILES) : process.argv.includes('--replot') ? readPrevious()! : await runBenchmark(readPrevious());
writeFileSync(REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
const markdown = federatedTables(report.experiments, { date: report.date, machine: report.machine, command: report.command, totalSeconds: report.totalSeconds, loadAverages: report.loadAverages });
process.stdout.write(`${markdown}\n`);
writeFileSync(path.join(RESULTS_DIR, QUICK ? 'bench-federated-quick.md' : 'bench-federated.md'), `${markdown}\n`);
const plots = await writeCurvePlots(curveFigures(report.experiments), path.join(OUT_DIR, 'plots'), Number(COMMON.targetAccuracy));
process.stderr.write(`plots: ${plots.map((p) => path.relative(ROOT, p)).join(', ')}\n`);
