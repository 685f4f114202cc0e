/**
 * What each part of fedfuse's federated fusion settings (FEDERATED_FUSION_SETTINGS)
 * buys, one round from a shared initial model, on label-skewed partitions.
 * For each experiment: 10 clients (8 for split-by-8) train MLP 784-256-10 for
 * 5 epochs from the simulation's initial model with the simulation's seeds
 * (so round 1 equals round 1 of `fedfuse simulate` with the same options);
 * then the same parents are fused with the settings switched on one at a
 * time, and every model is scored on the simulation's test set.
 *
 *   node --import tsx scripts/bench-label-skew.ts [--only fashion|mnist]
 *
 * Prints a table and writes results/bench-label-skew.json. Fashion-MNIST
 * experiments need Debian's dataset-fashion-mnist (skipped, and said so, when
 * it is missing).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { computeAttribution, type AttributionSummary } from '../common/attribution/index.ts';
import { initBackend } from '../common/backend/index.ts';
import { labelHistogram, parsePartitionScheme } from '../common/data/index.ts';
import { initNetwork, parseArchitecture, type Network } from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { evaluateNetwork, trainNetwork } from '../common/training/index.ts';
import { ensembleProbabilities, FEDERATED_FUSION_SETTINGS, fuse, matchOutputPrior, type FusionOptions } from '../server/fusion/index.ts';
import { loadSimulationData, splitSimulationData } from '../server/simulation/simulation-data.ts';
import { simulationSeeds } from '../server/simulation/run-simulation.ts';
import { FASHION_MNIST_DIR } from '../common/data/index.ts';

const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Experiment {
  readonly id: string;
  readonly dataset: 'mnist' | 'fashion-mnist';
  readonly partition: string;
  readonly clients: number;
  readonly seed: number;
}

const EXPERIMENTS: Experiment[] = [
  { id: 'fashion dirichlet:0.1 seed 0', dataset: 'fashion-mnist', partition: 'dirichlet:0.1', clients: 10, seed: 0 },
  { id: 'fashion dirichlet:0.1 seed 1', dataset: 'fashion-mnist', partition: 'dirichlet:0.1', clients: 10, seed: 1 },
  { id: 'fashion dirichlet:0.5', dataset: 'fashion-mnist', partition: 'dirichlet:0.5', clients: 10, seed: 0 },
  { id: 'mnist shards:2', dataset: 'mnist', partition: 'shards:2', clients: 10, seed: 0 },
  { id: 'mnist split-by-8', dataset: 'mnist', partition: 'split-by-k', clients: 8, seed: 0 },
];

const PAPER: Partial<FusionOptions> = {
  outputCombination: 'class-mean',
  ridgePrior: 'zero',
  groupingStart: 'farthest-point',
  outputScale: 'fitted',
  outputPrior: 'none',
};

/** Cumulative: each row adds one setting to the row above; the last is FEDERATED_FUSION_SETTINGS. */
const LADDER: [string, Partial<FusionOptions>][] = [
  ['kf-linear as published (uniform importance)', PAPER],
  ['+ class consensus (server-estimated evidence)', { ...PAPER, outputCombination: 'class-consensus' }],
  ['+ ridge toward aligned weights (λ 1e-3)', { ...PAPER, outputCombination: 'class-consensus', ridgePrior: 'aligned', ridge: { relativeLambda: 1e-3 } }],
  ['+ k-means from neuron indices', { ...PAPER, ...FEDERATED_FUSION_SETTINGS, outputScale: 'fitted', outputPrior: 'none' }],
  ['+ FedAvg logit scale', { ...PAPER, ...FEDERATED_FUSION_SETTINGS, outputPrior: 'none' }],
  ['+ class-prior matching (= federated settings)', { ...FEDERATED_FUSION_SETTINGS }],
];

interface Row {
  readonly experiment: string;
  readonly variant: string;
  readonly accuracy: number;
  readonly seconds: number;
}

async function runExperiment(e: Experiment): Promise<Row[]> {
  const data = loadSimulationData(e.dataset, FASHION_MNIST_DIR);
  const split = splitSimulationData(data, { clients: e.clients, scheme: parsePartitionScheme(e.partition), calibrationSize: 400, testSize: 2000, clientSamples: null, seed: e.seed });
  const spec = parseArchitecture('mlp:256', [...split.calibration.sampleShape], split.calibration.numClasses);
  const seeds = simulationSeeds(e.seed);
  const initial = initNetwork(spec, seeds.initialModel);
  const parents: Network[] = [];
  const attributions: AttributionSummary[] = [];
  const started = performance.now();
  for (const [i, c] of split.clients.entries()) {
    const roundSeed = seeds.client(i) * 1_000_003 + 1; // client/local-update.ts, round 1
    const trained = await trainNetwork(initial, { images: c.images, labels: c.labels, count: c.count }, { epochs: 5, batchSize: 64, learningRate: 0.001, optimizer: 'adam', seed: roundSeed });
    parents.push(trained.network);
    const picked = new SeededRandom(roundSeed).permutation(c.count).slice(0, 200);
    const features = c.images.length / c.count;
    const images = new Float32Array(picked.length * features);
    const labels = new Int32Array(picked.length);
    picked.forEach((src, dst) => {
      images.set(c.images.subarray(src * features, (src + 1) * features), dst * features);
      labels[dst] = c.labels[src]!;
    });
    attributions.push(await computeAttribution(trained.network, { images, labels, count: picked.length }, { method: 'grad-x-act' }));
  }
  log(`${e.id}: ${parents.length} clients trained in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const test = split.test;
  const calibration = split.calibration.images;
  const numExamples = split.clients.map((c) => c.count);
  const score = async (net: Network): Promise<number> => (await evaluateNetwork(net, test.images, test.labels, test.count)).accuracy;
  const rows: Row[] = [];
  const add = (variant: string, accuracy: number, seconds = 0): void => {
    rows.push({ experiment: e.id, variant, accuracy, seconds });
    log(`${e.id}: ${variant}: ${(100 * accuracy).toFixed(1)}%`);
  };

  const fedavg = await fuse(parents, calibration, { method: 'fedavg', numExamples });
  add('fedavg', await score(fedavg.network), fedavg.report.totalSeconds);
  const classes = split.calibration.numClasses;
  add('fedavg + class-prior matching', await score((await matchOutputPrior(fedavg.network, calibration, split.calibration.count, Array(classes).fill(1))).network));
  const probabilities = await ensembleProbabilities(parents, test.images);
  let correct = 0;
  for (let i = 0; i < test.count; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    if (best === test.labels[i]) correct++;
  }
  add('ensemble of the clients (mean softmax)', correct / test.count);
  for (const [variant, options] of LADDER) {
    const r = await fuse(parents, calibration, { method: 'kf-linear', numExamples, ...options });
    add(variant, await score(r.network), r.report.totalSeconds);
  }
  const histograms = split.clients.map((c) => labelHistogram(c));
  for (const [variant, options] of [
    ['federated, evidence = label histograms', { classEvidence: histograms }],
    ['federated, evidence = client grad-x-act', { importances: attributions }],
  ] as const) {
    const r = await fuse(parents, calibration, { method: 'kf-linear', numExamples, ...FEDERATED_FUSION_SETTINGS, ...options });
    add(variant, await score(r.network), r.report.totalSeconds);
  }
  return rows;
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

const backend = await initBackend();
const fashion = existsSync(FASHION_MNIST_DIR);
if (!fashion) log(`Fashion-MNIST not found in ${FASHION_MNIST_DIR}: its experiments are skipped (sudo apt-get install dataset-fashion-mnist)`);
const selected = EXPERIMENTS.filter((e) => (args.only === undefined || e.dataset.startsWith(args.only)) && (fashion || e.dataset !== 'fashion-mnist'));
const rows: Row[] = [];
for (const e of selected) rows.push(...(await runExperiment(e)));

const variants = [...new Set(rows.map((r) => r.variant))];
const experiments = selected.map((e) => e.id);
const header = `| one round, test accuracy | ${experiments.join(' | ')} |`;
const lines = [header, `| --- |${experiments.map(() => ' ---: |').join('')}`];
for (const v of variants) {
  lines.push(`| ${v} | ${experiments.map((e) => {
    const r = rows.find((x) => x.experiment === e && x.variant === v);
    return r === undefined ? '' : `${(100 * r.accuracy).toFixed(1)}%`;
  }).join(' | ')} |`);
}
const table = lines.join('\n');
process.stdout.write(`${table}\n`);
const out = join(ROOT, 'results', 'bench-label-skew.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), backend: String(backend), cores: cpus().length, command: 'node --import tsx scripts/bench-label-skew.ts', rows, table }, null, 2) + '\n');
log(`wrote ${out}`);
