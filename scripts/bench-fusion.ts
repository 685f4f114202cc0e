/**
 * The fusion benchmark: the paper's MNIST protocol (split-by-k, independent
 * initialisations), client-side attribution importances, the federated
 * variant (common initial model, E local epochs), one CNN case, and KF-linear's
 * cost against the number of parents and the calibration size. Prints
 * markdown tables (for docs/benchmarks.md) and writes results/bench-fusion.json.
 *
 *   node --import tsx scripts/bench-fusion.ts [--only paper,attribution,federated,cnn,scaling] [--quick]
 *        [--seeds 3] [--epochs 5] [--cnn-epochs 3] [--cnn-samples N] [--reps 3] [--out results/bench-fusion.json]
 *
 * --quick: 1 seed, 2 epochs, CNN 1 epoch on at most 600 samples per client,
 * K up to 16, 1 timing repetition: a smoke run of a few minutes, not numbers to quote.
 * `--only speed` reruns just the attribution timing (part of `attribution`).
 * Progress goes to stderr, tables to stdout. Timings depend on the machine's
 * load (run `uptime` first); accuracies do not (same seeds, same numbers).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../common/backend/index.ts';
import { initNetwork, mlpSpec } from '../common/model/index.ts';
import { fuse } from '../server/fusion/index.ts';
import { ATTRIBUTION_LAYER_CASES, CLIENT_ATTRIBUTION_CASES, SERVER_SIDE_CASES, type MethodCase } from './bench/fusion-cases.ts';
import { DEFAULT_TRAINING, type TrainingSettings } from './bench/parent-training.ts';
import { runProtocolCell, type ProtocolRun, type ProtocolVariant } from './bench/protocol-runs.ts';
import { compareImportances, importanceTable, methodAccuracies, protocolTable, UNIFORM_LABEL } from './bench/protocol-tables.ts';
import { attributionSpeed, attributionSpeedTable, type AttributionSpeed } from './bench/section-attribution-speed.ts';
import { cnnTable, runCnnCase, type CnnResult } from './bench/section-cnn.ts';
import { scalingInCalibration, scalingInK, scalingTable, type ScalingPoint } from './bench/section-scaling.ts';
import { checkTargets, targetsTable } from './bench/targets.ts';
import { positiveInt, selectedParts } from './bench/bench-args.ts';

// 'speed' (attribution cost on one client) is part of 'attribution' and can be rerun alone when the machine is quieter.
const SECTIONS = ['paper', 'attribution', 'federated', 'cnn', 'scaling', 'speed'] as const;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    seeds: { type: 'string' },
    epochs: { type: 'string' },
    'cnn-epochs': { type: 'string' },
    'cnn-samples': { type: 'string' },
    reps: { type: 'string' },
    out: { type: 'string', default: 'results/bench-fusion.json' },
  },
});

const only = selectedParts(args.only, SECTIONS, SECTIONS.filter((s) => s !== 'speed'));
const quick = args.quick;
const seeds = Array.from({ length: positiveInt(args.seeds, quick ? 1 : 3, '--seeds') }, (_, i) => i);
const training: TrainingSettings = { ...DEFAULT_TRAINING, epochs: positiveInt(args.epochs, quick ? 2 : DEFAULT_TRAINING.epochs, '--epochs') };
const cnnTraining: TrainingSettings = { ...DEFAULT_TRAINING, epochs: positiveInt(args['cnn-epochs'], quick ? 1 : 3, '--cnn-epochs') };
const cnnSamples = positiveInt(args['cnn-samples'], quick ? 600 : Number.MAX_SAFE_INTEGER, '--cnn-samples');
const reps = positiveInt(args.reps, quick ? 1 : 3, '--reps');
const KS = [2, 4, 8];
const SCALING_KS = quick ? [2, 4, 8, 16] : [2, 4, 8, 16, 32];
const CALIBRATION_SIZES = [200, 400, 1000, 2000];
const FEDERATED_EPOCHS = [1, 5];

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

const started = Date.now();
const loadStart = os.loadavg();
const backend = await initBackend();
log(`bench-fusion: backend ${backend}; parts ${[...only].join(', ')}; seeds ${seeds.join(', ')}; ${training.epochs} epochs (adam, lr ${training.learningRate}, batch ${training.batchSize}); load average ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);

// Warm-up: the first fusion of a process pays for wasm kernel set-up; no timed run should.
{
  const spec = mlpSpec(784, [256], 10);
  const calibration = new Float32Array(400 * 784).map((_, i) => ((i * 7919) % 1000) / 1000);
  await fuse([initNetwork(spec, 1), initNetwork(spec, 2)], calibration, { method: 'kf-linear' });
}

async function protocolRuns(variant: ProtocolVariant, cases: readonly MethodCase[]): Promise<ProtocolRun[]> {
  const runs: ProtocolRun[] = [];
  for (const seed of seeds) for (const k of KS) runs.push(await runProtocolCell(variant, seed, k, cases, log));
  return runs;
}

function importanceSection(title: string, runs: readonly ProtocolRun[]): void {
  print(`\n#### ${title}\n`);
  print(importanceTable(compareImportances(runs, KS), (k) => methodAccuracies(runs.filter((r) => r.k === k), UNIFORM_LABEL)));
}

const results: Record<string, unknown> = {};
let independent: ProtocolRun[] = [];
if (only.has('paper') || only.has('attribution')) {
  // The attribution rows reuse the paper protocol's parents; run alone, only the uniform baseline comes along.
  const cases = [
    ...(only.has('paper') ? SERVER_SIDE_CASES : SERVER_SIDE_CASES.filter((c) => c.label === UNIFORM_LABEL)),
    ...(only.has('attribution') ? [...CLIENT_ATTRIBUTION_CASES, ...ATTRIBUTION_LAYER_CASES] : []),
  ];
  log('\npaper protocol, independent initialisations');
  independent = await protocolRuns({ name: 'independent', init: 'independent', training }, cases);
  results['independent'] = independent;
  print(`\n### Paper protocol: split-by-k, independent initialisations (${seeds.length} seed(s), ${training.epochs} epochs)\n`);
  print(protocolTable(independent, KS));
  if (only.has('attribution')) importanceSection('Importance sources against uniform KF-linear (independent initialisations)', independent);
}

let speed: AttributionSpeed[] = [];
if (only.has('attribution') || only.has('speed')) {
  log('\nattribution speed');
  speed = await attributionSpeed(0, training, 1000, Math.max(reps, 3));
  results['attributionSpeed'] = speed;
  print('\n#### Attribution cost on one client (MLP 784-256-10 trained on its split-by-2 share)\n');
  print(attributionSpeedTable(speed));
}

if (only.has('federated')) {
  const federated: Record<string, ProtocolRun[]> = {};
  for (const epochs of FEDERATED_EPOCHS) {
    const name = `common init, E = ${epochs}`;
    log(`\nfederated variant: ${name}`);
    const runs = await protocolRuns({ name, init: 'common', training: { ...training, epochs } }, [...SERVER_SIDE_CASES, ...CLIENT_ATTRIBUTION_CASES, ...ATTRIBUTION_LAYER_CASES]);
    federated[name] = runs;
    print(`\n### Federated variant: one round from a common initial model, E = ${epochs} local epoch(s) (${seeds.length} seed(s))\n`);
    print(protocolTable(runs, KS));
    importanceSection(`Importance sources against uniform KF-linear (common init, E = ${epochs})`, runs);
  }
  results['federated'] = federated;
}

if (only.has('cnn')) {
  log('\nCNN');
  const cnn: CnnResult = await runCnnCase(4, 0, cnnTraining, cnnSamples, log);
  results['cnn'] = cnn;
  print(`\n### CNN conv16-pool-conv32-pool-dense10, split-by-4, independent inits (${cnn.epochs} epoch(s), clients of ${cnn.clientSizes.join('/')} samples, seed 0)\n`);
  print(cnnTable(cnn));
}

let scalingK: ScalingPoint[] = [];
if (only.has('scaling')) {
  log('\nscaling in K');
  scalingK = await scalingInK(SCALING_KS, 0, training, reps, log);
  log('\nscaling in calibration size');
  const scalingN = await scalingInCalibration(CALIBRATION_SIZES, 8, 0, training, reps, log);
  results['scaling'] = { parents: scalingK, calibration: scalingN };
  print(`\n### KF-linear time against the number of parents (trained MLPs 784-256-10, split-by-K, 400 calibration samples, ${reps} run(s) each)\n`);
  print(scalingTable(scalingK, 'parents'));
  print(`\n### KF-linear time against the calibration size (K = 8 trained MLPs; own carve: calibration pool 2,000, clients 6,000; ${reps} run(s) each)\n`);
  print(scalingTable(scalingN, 'calibration'));
}

const targets = checkTargets(independent, scalingK, speed);
print('\n### Targets\n');
print(targetsTable(targets));

const loadEnd = os.loadavg();
const cpus = os.cpus();
const out = resolve(args.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date(started).toISOString(),
      command: `node --import tsx scripts/bench-fusion.ts ${process.argv.slice(2).join(' ')}`.trim(),
      minutes: (Date.now() - started) / 60_000,
      machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.version, backend, loadAverageStart: loadStart, loadAverageEnd: loadEnd },
      settings: { parts: [...only], seeds, training, cnnTraining, cnnSamples, reps, ks: KS, scalingKs: SCALING_KS, calibrationSizes: CALIBRATION_SIZES, federatedEpochs: FEDERATED_EPOCHS },
      results,
      targets,
    },
    null,
    2,
  ) + '\n',
);
log(`\nbench-fusion: done in ${((Date.now() - started) / 60_000).toFixed(1)} min; load average at the end ${loadEnd.map((l) => l.toFixed(2)).join(' ')}; wrote ${out}`);
