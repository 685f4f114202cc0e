/**
 * Federated benchmark: neuron-centric fusion (kf-linear with the server's
 * federated settings, docs/federated-fusion.md; class evidence from the
 * clients' grad-x-act scores, or estimated by the server with uniform
 * importance) against FedAvg and
 * FedProx on non-IID partitions, through the real server and real clients
 * (`fedfuse simulate`'s engine), with the client ensemble as the ceiling.
 *
 *   node --import tsx scripts/bench-federated.ts [--quick] [--only fashion|mnist|determinism] [--neuron-fusion paper]
 *
 * - Fashion-MNIST (Debian package dataset-fashion-mnist), 10 clients,
 *   Dirichlet 0.1 and 0.5, 10 rounds (FedAvg reaches 80% on Dirichlet 0.1 in 4);
 * - the embedded MNIST digits, split-by-8 (the paper's protocol, 8 clients)
 *   and shards:2 (10 clients), 10 rounds;
 * - MLP 784-256-10, E = 5 local epochs. One-shot (R = 1) is round 1 of each
 *   run: round 1 does not depend on how many rounds follow (same initial
 *   model, same seeds), so it is not run separately.
 * - Determinism: one small experiment twice; the largest difference of any
 *   stored accuracy between the two.
 * Writes results/bench-federated.json (every simulation's results.json),
 * results/bench-federated.md (the tables for docs/benchmarks.md) and
 * results/bench-federated/<experiment>/accuracy.{svg,png}, plus
 * results/bench-federated-one-shot.{svg,png}. --quick: 2 rounds, 1 epoch, a
 * fifth of the data: a smoke run of the script, not a measurement.
 * --replot: only the tables and the one-shot plot, from results/bench-federated.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { FASHION_MNIST_DIR, findIdxSplitFiles } from '../common/data/index.ts';
import {
  describeEvent,
  percent,
  renderPlotSvg,
  renderTable,
  resolveSimulationOptions,
  runSimulation,
  svgToPng,
  type RawSimulationOptions,
  type RunResult,
  type SimulationEvent,
  type SimulationResults,
} from '../server/simulation/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'results');
const OUT_DIR = path.join(RESULTS_DIR, 'bench-federated');
const QUICK = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? process.argv[onlyArg + 1] : undefined;
const TARGET = 0.8;
const neuronFusionArg = process.argv.indexOf('--neuron-fusion');
/** kf-linear's settings on the server; the default is the server's ('federated'). */
const NEURON_FUSION = neuronFusionArg >= 0 ? process.argv[neuronFusionArg + 1] : undefined;

/**
 * Conductance is left out: it ranks neurons like grad-x-act (docs/benchmarks.md,
 * Attribution, and the first Federated run) at 8x the client time.
 */
const ARMS = ['kf-linear:grad-x-act', 'kf-linear:uniform', 'fedavg', 'fedprox:0.01'];
const FASHION_ARMS = ARMS;

interface Experiment {
  readonly id: string;
  readonly group: 'fashion' | 'mnist' | 'determinism';
  readonly title: string;
  readonly options: RawSimulationOptions;
}

function experiment(id: string, group: Experiment['group'], title: string, options: RawSimulationOptions): Experiment {
  const quick: RawSimulationOptions = QUICK ? { rounds: '2', localEpochs: '1', clientSamples: group === 'fashion' ? '10000' : '2000' } : {};
  return {
    id,
    group,
    title,
    options: {
      model: 'mlp:256',
      localEpochs: '5',
      seed: '0',
      targetAccuracy: String(TARGET),
      ...(NEURON_FUSION === undefined ? {} : { neuronFusion: NEURON_FUSION }),
      ...options,
      ...quick,
      out: path.join(OUT_DIR, id),
      discardDb: true,
    },
  };
}

const EXPERIMENTS: Experiment[] = [
  experiment('fashion-dirichlet-0.1', 'fashion', 'Fashion-MNIST, Dirichlet 0.1, 10 clients', { dataset: 'fashion-mnist', clients: '10', partition: 'dirichlet:0.1', rounds: '10', aggregator: FASHION_ARMS }),
  experiment('fashion-dirichlet-0.5', 'fashion', 'Fashion-MNIST, Dirichlet 0.5, 10 clients', { dataset: 'fashion-mnist', clients: '10', partition: 'dirichlet:0.5', rounds: '10', aggregator: FASHION_ARMS }),
  experiment('mnist-split-by-8', 'mnist', 'MNIST digits, split-by-8 (8 clients)', { dataset: 'mnist', partition: 'split-by-8', rounds: '10', aggregator: ARMS }),
  experiment('mnist-shards-2', 'mnist', 'MNIST digits, shards:2, 10 clients', { dataset: 'mnist', clients: '10', partition: 'shards:2', rounds: '10', aggregator: ARMS }),
];

/** Run twice; every stored accuracy compared. Small on purpose: it measures reproducibility, not accuracy. */
const DETERMINISM: Experiment = experiment('determinism', 'determinism', 'MNIST digits, Dirichlet 0.1, 10 clients, twice', {
  dataset: 'mnist',
  clients: '10',
  partition: 'dirichlet:0.1',
  rounds: '3',
  localEpochs: '2',
  aggregator: ['kf-linear:grad-x-act', 'kf-linear:uniform', 'fedavg'],
});

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

async function simulate(e: Experiment, suffix = ''): Promise<SimulationResults> {
  const options = resolveSimulationOptions({ ...e.options, ...(suffix === '' ? {} : { out: `${e.options.out}${suffix}` }) });
  log(`${e.title}: starting (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  return runSimulation(options, (ev: SimulationEvent) => {
    const line = describeEvent(ev, true);
    if (line !== null) log(`[${e.id}${suffix}] ${line}`);
  });
}

function fashionAvailable(): boolean {
  return findIdxSplitFiles(FASHION_MNIST_DIR, 'train') !== undefined && findIdxSplitFiles(FASHION_MNIST_DIR, 'test') !== undefined;
}

// ------------------------------------------------------------------ tables

function accuracyTable(r: SimulationResults): string {
  const rounds = Math.max(...r.runs.map((x) => x.rounds.length));
  const header = ['aggregator', 'one-shot (R=1)', `R=${Math.min(10, rounds)}`, ...(rounds > 10 ? [`R=${rounds}`] : []), 'best', `rounds to ${percent(TARGET)}`, 'ensemble R=1', `ensemble R=${Math.min(10, rounds)}`];
  const rows = r.runs.map((x) => [
    x.label,
    percent(x.rounds[0]?.accuracy ?? null),
    percent(x.rounds[Math.min(10, rounds) - 1]?.accuracy ?? null),
    ...(rounds > 10 ? [percent(x.rounds[rounds - 1]?.accuracy ?? null)] : []),
    x.bestAccuracy === null ? '-' : `${percent(x.bestAccuracy)} (r${x.bestRound})`,
    x.roundsToTarget === null ? `>${x.rounds.length}` : String(x.roundsToTarget),
    percent(x.rounds[0]?.ensembleAccuracy ?? null),
    percent(x.rounds[Math.min(10, rounds) - 1]?.ensembleAccuracy ?? null),
  ]);
  return markdownTable(header, rows);
}

function timingTable(all: readonly { e: Pick<Experiment, 'id' | 'title'>; r: SimulationResults }[]): string {
  const header = ['experiment', 'aggregator', 'wall s', 'local training s', 'fusion s', 'evaluation s', 'overhead', 'overhead excl. evaluation', 'MB moved'];
  const rows = all.flatMap(({ e, r }) =>
    r.runs.map((x: RunResult) => [
      e.id,
      x.label,
      x.timing.wallSeconds.toFixed(0),
      x.timing.localTrainingSeconds.toFixed(0),
      x.timing.fusionSeconds.toFixed(1),
      x.timing.evaluationSeconds.toFixed(1),
      `${(x.timing.overheadShare * 100).toFixed(1)}%`,
      `${(x.timing.overheadExcludingEvaluationShare * 100).toFixed(1)}%`,
      (x.bytes.total / 1e6).toFixed(0),
    ]),
  );
  return markdownTable(header, rows);
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

// ------------------------------------------------------------------ one-shot plot

function oneShotSpec(all: readonly { e: Pick<Experiment, 'id' | 'title'>; r: SimulationResults }[]): TopLevelSpec {
  const values = all.flatMap(({ e, r }) => [
    ...r.runs.map((x) => ({ experiment: e.title, series: x.label, accuracy: x.rounds[0]?.accuracy ?? 0 })),
    { experiment: e.title, series: 'client ensemble (ceiling)', accuracy: r.runs[0]?.rounds[0]?.ensembleAccuracy ?? 0 },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'One-shot (one round) accuracy of the fused model', subtitle: 'MLP 784-256-10, E = 5 local epochs from a shared initial model' },
    background: 'white',
    config: { font: 'DejaVu Sans' },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      row: { field: 'experiment', type: 'nominal', title: null, sort: null, header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelLimit: 600, labelFontWeight: 'bold', labelFontSize: 12 } },
      y: { field: 'series', type: 'nominal', title: null, sort: null, axis: { labelLimit: 240 } },
      x: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
      color: { field: 'series', type: 'nominal', legend: null },
    },
    width: 420,
    // Each experiment lists only its own arms (conductance ran on MNIST only).
    resolve: { scale: { y: 'independent' } },
  };
}

// ------------------------------------------------------------------ main

interface Determinism {
  readonly maxAccuracyDifference: number;
  readonly comparedValues: number;
  readonly first: SimulationResults;
  readonly second: SimulationResults;
}

interface BenchReport {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: string;
  readonly command: string;
  readonly fashionMnist: string | null;
  readonly totalSeconds: number;
  readonly experiments: readonly { readonly id: string; readonly title: string; readonly results: SimulationResults }[];
  readonly determinism: Determinism | null;
}

/** The largest difference between the stored numbers of two runs of the same experiment. */
function compareRuns(first: SimulationResults, second: SimulationResults): Determinism {
  let max = 0;
  let compared = 0;
  first.runs.forEach((run, i) => {
    run.rounds.forEach((x, k) => {
      const y = second.runs[i]?.rounds[k];
      for (const [a, b] of [
        [x.accuracy, y?.accuracy ?? null],
        [x.ensembleAccuracy, y?.ensembleAccuracy ?? null],
        [x.loss, y?.loss ?? null],
      ] as const) {
        if (a === null || b === null) continue;
        max = Math.max(max, Math.abs(a - b));
        compared++;
      }
    });
  });
  return { maxAccuracyDifference: max, comparedValues: compared, first, second };
}

async function runBenchmark(): Promise<BenchReport> {
  mkdirSync(OUT_DIR, { recursive: true });
  const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, TF.js wasm backend (single-threaded in Node)`;
  log(`bench-federated${QUICK ? ' --quick (smoke run, not a measurement)' : ''}: ${machine}`);
  const started = performance.now();
  const hasFashion = fashionAvailable();
  if (!hasFashion) {
    log(`Fashion-MNIST is not installed (looked in ${FASHION_MNIST_DIR}): its experiments are skipped. Install it with: sudo apt-get install dataset-fashion-mnist`);
  }
  const selected = EXPERIMENTS.filter((e) => (ONLY === undefined || e.group === ONLY) && (e.group !== 'fashion' || hasFashion));
  const experiments: { id: string; title: string; results: SimulationResults }[] = [];
  for (const e of selected) {
    experiments.push({ id: e.id, title: e.title, results: await simulate(e) });
    log(`${e.title}: done`);
  }
  let determinism: Determinism | null = null;
  if (ONLY === undefined || ONLY === 'determinism') {
    determinism = compareRuns(await simulate(DETERMINISM, '-a'), await simulate(DETERMINISM, '-b'));
    log(`determinism: largest difference over ${determinism.comparedValues} stored values (accuracy, ensemble accuracy, loss): ${determinism.maxAccuracyDifference}`);
  }
  return {
    date: new Date().toISOString(),
    quick: QUICK,
    machine,
    command: `node --import tsx scripts/bench-federated.ts${QUICK ? ' --quick' : ''}${ONLY === undefined ? '' : ` --only ${ONLY}`}${NEURON_FUSION === undefined ? '' : ` --neuron-fusion ${NEURON_FUSION}`}`,
    fashionMnist: hasFashion ? FASHION_MNIST_DIR : null,
    totalSeconds: (performance.now() - started) / 1000,
    experiments,
    determinism,
  };
}

/** Tables (markdown) and the one-shot plot from a report: after a run, or from results/bench-federated.json with --replot. */
async function writeReport(report: BenchReport): Promise<void> {
  const done = report.experiments.map((x) => ({ e: { id: x.id, title: x.title }, r: x.results }));
  const sections: string[] = [];
  for (const { e, r } of done) sections.push(`#### ${e.title}\n\n${accuracyTable(r)}\n`);
  if (done.length > 0) sections.push(`#### Time\n\n${timingTable(done)}\n`);
  if (report.determinism !== null) {
    sections.push(
      `#### Determinism\n\nThe same small experiment run twice (${DETERMINISM.title}; kf-linear grad-x-act and uniform, FedAvg; 3 rounds): ` +
        `largest difference over ${report.determinism.comparedValues} stored values (accuracy, ensemble accuracy, loss): ${report.determinism.maxAccuracyDifference}.\n`,
    );
  }
  const markdown = sections.join('\n');
  process.stdout.write(`${markdown}\n`);
  writeFileSync(path.join(RESULTS_DIR, 'bench-federated.md'), `${markdown}\n`);
  if (done.length > 0) {
    const svg = await renderPlotSvg(oneShotSpec(done));
    writeFileSync(path.join(RESULTS_DIR, 'bench-federated-one-shot.svg'), svg);
    writeFileSync(path.join(RESULTS_DIR, 'bench-federated-one-shot.png'), svgToPng(svg));
  }
}

const REPORT_FILE = path.join(RESULTS_DIR, 'bench-federated.json');
if (process.argv.includes('--replot')) {
  await writeReport(JSON.parse(readFileSync(REPORT_FILE, 'utf8')) as BenchReport);
} else {
  const report = await runBenchmark();
  writeFileSync(REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
  await writeReport(report);
  log(`wrote results/bench-federated.{json,md}, results/bench-federated-one-shot.{svg,png} and results/bench-federated/<experiment>/ in ${(report.totalSeconds / 60).toFixed(1)} min`);
}
