/**
 * The models benchmark (issue 12, deliverable 6): a small ResNet (three
 * residual blocks with BatchNorm, 16-32 channels) and a VGG-style CNN with
 * BatchNorm (scripts/bench/bn-model-specs.ts) on Fashion-MNIST.
 *
 *   node --import tsx scripts/bench-models.ts [--only paper,federated,speed] [--quick]
 *        [--seeds 3] [--epochs 2] [--pool 2000] [--rounds 10] [--fed-samples 1000] [--fed-epochs 2] [--reps 3]
 *        [--models resnet,vgg-bn] [--out results/bench-models.json]
 *
 * - paper: the paper protocol (split-by-4 of a stratified pool of `--pool`
 *   training images, parents from independent initialisations, 400
 *   class-balanced calibration images and 2,000 test images from t10k):
 *   the parents, their ensemble, averaging, KF-linear, KF-gradient, OT fusion
 *   and weight matching, mean ± std over the seeds.
 * - federated: one Dirichlet-0.1 run of `--rounds` rounds per model through
 *   the real round engine (`fedfuse simulate --model model.json`): 10
 *   clients, fraction 1 (simulate's default), kf-linear vs fedavg vs
 *   fedavg-prior on the same partitions, seed and initial model; the clients
 *   share `--fed-samples` training images, E = `--fed-epochs`.
 * - speed: KF-linear of 8 ResNets on 400 calibration samples (the issue's
 *   10 s target), wall and CPU seconds.
 * How it fits the shared 2-core machine (about an hour under load): the parents
 * train on 2,000 of the 60,000 images (split-by-4) for 2 epochs, the federated
 * clients share 1,000 for E = 2 local epochs a round; both models' costly
 * convolutions run at 14x14 or less.
 * --quick: 1 seed, 400 images, no KF-gradient, 3 clients for 2 rounds, speed on
 * 2 parents: a smoke run (a few minutes on an idle machine), not numbers to quote.
 * Progress goes to stderr, tables to stdout; writes results/bench-models.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path, { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../common/backend/index.ts';
import { FASHION_MNIST_DIR, findIdxSplitFiles } from '../common/data/index.ts';
import type { ModelSpec } from '../common/model/index.ts';
import { smallResNetSpec, smallVggBnSpec } from './bench/bn-model-specs.ts';
import { federatedTables } from './bench/federated-tables.ts';
import { SERVER_SIDE_CASES } from './bench/fusion-cases.ts';
import { pct, points, secs } from './bench/markdown-table.ts';
import { fashionMnistProtocol, splitByK } from './bench/mnist-protocol.ts';
import { DEFAULT_TRAINING, type TrainingSettings } from './bench/parent-training.ts';
import { runProtocolOn, type ProtocolRun } from './bench/protocol-runs.ts';
import { methodAccuracies, protocolTable } from './bench/protocol-tables.ts';
import { runBnFederated, type BnFederatedRun } from './bench/section-bn-federated.ts';
import { kfLinearSpeed, kfSpeedTable, type KfSpeed } from './bench/section-kf-speed.ts';
import { mean } from './bench/stats.ts';
import { positiveInt, selectedParts } from './bench/bench-args.ts';

const PARTS = ['paper', 'federated', 'speed'] as const;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    seeds: { type: 'string' },
    epochs: { type: 'string' },
    pool: { type: 'string' },
    rounds: { type: 'string' },
    'fed-samples': { type: 'string' },
    'fed-epochs': { type: 'string' },
    reps: { type: 'string' },
    models: { type: 'string' },
    out: { type: 'string', default: 'results/bench-models.json' },
  },
});

const only = selectedParts(args.only, PARTS);
const quick = args.quick;
const seeds = Array.from({ length: positiveInt(args.seeds, quick ? 1 : 3, '--seeds') }, (_, i) => i);
const training: TrainingSettings = { ...DEFAULT_TRAINING, epochs: positiveInt(args.epochs, quick ? 1 : 2, '--epochs') };
const pool = positiveInt(args.pool, quick ? 400 : 2000, '--pool');
const federated = {
  rounds: positiveInt(args.rounds, quick ? 2 : 10, '--rounds'),
  clients: quick ? 3 : 10,
  clientSamples: positiveInt(args['fed-samples'], quick ? 150 : 1000, '--fed-samples'),
  localEpochs: positiveInt(args['fed-epochs'], quick ? 1 : 2, '--fed-epochs'),
  seed: 0,
};
const reps = positiveInt(args.reps, quick ? 1 : 3, '--reps');
const K = 4;
const SPEED_PARENTS = quick ? 2 : 8;
const SPEED_SAMPLES = quick ? 100 : 400;
// --quick leaves KF-gradient out: on the ResNet it takes minutes on its own under load.
const PAPER_LABELS = ['average', 'kf-linear (uniform)', ...(quick ? [] : ['kf-gradient (uniform)']), 'ot-fusion', 'weight-matching'];
const CASES = SERVER_SIDE_CASES.filter((c) => PAPER_LABELS.includes(c.label));
const ALL_MODELS: readonly { name: 'resnet' | 'vgg-bn'; title: string; spec: ModelSpec }[] = [
  { name: 'resnet', title: 'ResNet (3 residual blocks with BatchNorm, 16-32 channels)', spec: smallResNetSpec() },
  { name: 'vgg-bn', title: 'VGG-style CNN with BatchNorm (conv16-32-32, each BN-relu-maxpool)', spec: smallVggBnSpec() },
];
const chosenModels = selectedParts(args.models, ALL_MODELS.map((m) => m.name), undefined, '--models');
const MODELS = ALL_MODELS.filter((m) => chosenModels.has(m.name));

const log = (line: string): void => {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
};
const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

if (findIdxSplitFiles(FASHION_MNIST_DIR, 'train') === undefined) {
  throw new Error(`Fashion-MNIST is not installed (${FASHION_MNIST_DIR}): apt-get install dataset-fashion-mnist`);
}
const started = Date.now();
const loadStart = os.loadavg();
const backend = await initBackend();
const machine = `${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, TF.js ${backend} backend`;
log(`bench-models${quick ? ' --quick (smoke run, not a measurement)' : ''}: ${machine}; parts ${[...only].join(', ')}; load average ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
const outDir = path.join(dirname(resolve(args.out)), quick ? 'bench-models-quick' : 'bench-models');
mkdirSync(outDir, { recursive: true });
const results: Record<string, unknown> = {};
const loads: Record<string, number> = {};
const out = resolve(args.out);
let targetLines: string[] = [];

/** results/bench-models.json, rewritten after every part so that a run cut short keeps what it measured. */
function save(): void {
  const loadEnd = os.loadavg();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date(started).toISOString(),
        command: commandLine(),
        quick,
        minutes: (Date.now() - started) / 60_000,
        machine: { description: machine, cpus: os.cpus().length, node: process.version, backend, loadAverageStart: loadStart, loadAverageEnd: loadEnd, loadAtParts: loads },
        settings: { parts: [...only], models: MODELS.map((m) => m.name), seeds, training, pool, k: K, federated, reps, speedParents: SPEED_PARENTS, speedSamples: SPEED_SAMPLES, cases: CASES.map((c) => c.label) },
        results,
        targets: targetLines,
      },
      null,
      2,
    ) + '\n',
  );
}

// The paper protocol: per model and seed, 4 parents on split-by-4 from their own initialisations.
const paper = new Map<string, ProtocolRun[]>();
if (only.has('paper')) {
  for (const m of MODELS) {
    loads[`paper ${m.name}`] = os.loadavg()[0]!;
    const runs: ProtocolRun[] = [];
    for (const seed of seeds) {
      const data = fashionMnistProtocol(seed, pool);
      log(`paper protocol, ${m.name}, seed ${seed}`);
      runs.push(await runProtocolOn(m.spec, data, splitByK(data, K), { name: 'independent', init: 'independent', training }, seed, CASES, log));
      paper.set(m.name, runs);
      results['paper'] = Object.fromEntries(paper);
      save();
    }
    print(`\n#### ${m.title}: split-by-${K}, independent inits (${seeds.length} seed(s), ${training.epochs} epoch(s), pool ${pool}, clients of ${runs.map((r) => r.clientSizes.join('/')).join('; ')} images)\n`);
    print(protocolTable(runs, [K]));
  }
}

const fed: BnFederatedRun[] = [];
if (only.has('federated')) {
  for (const m of MODELS) {
    loads[`federated ${m.name}`] = os.loadavg()[0]!;
    log(`federated, ${m.name}`);
    fed.push(await runBnFederated(m.name, `${m.title}, Fashion-MNIST Dirichlet 0.1, ${federated.clients} clients, ${federated.rounds} rounds`, m.spec, federated, outDir, log));
    results['federated'] = fed.map((f) => ({ id: f.experiment.id, seconds: f.seconds, results: f.results }));
    save();
  }
  print('\n' + federatedTables(fed, { date: new Date(started).toISOString(), machine, command: commandLine(), totalSeconds: fed.reduce((s, f) => s + f.seconds, 0), loadAverages: Object.entries(loads).filter(([k]) => k.startsWith('federated')).map(([, v]) => v) }));
}

let speed: KfSpeed | null = null;
if (only.has('speed')) {
  loads['speed'] = os.loadavg()[0]!;
  log(`speed: kf-linear of ${SPEED_PARENTS} ResNets on ${SPEED_SAMPLES} calibration samples, ${reps} run(s)`);
  const calibration = fashionMnistProtocol(0, 1).calibration.images;
  speed = await kfLinearSpeed('ResNet', smallResNetSpec(), SPEED_PARENTS, calibration, SPEED_SAMPLES, reps);
  results['speed'] = speed;
  save();
  print(`\n#### KF-linear of ${SPEED_PARENTS} ResNets (random initialisations) on ${SPEED_SAMPLES} calibration images\n`);
  print(kfSpeedTable([speed]));
}

/** The issue's targets on the split-by-4 ResNet (means over seeds) and the speed target. */
function targets(): string[] {
  const out: string[] = [];
  const runs = paper.get('resnet');
  if (runs !== undefined) {
    const m = (label: string): number => mean(methodAccuracies(runs, label));
    const ensemble = mean(runs.map((r) => r.ensemble));
    const best = Math.max(m('kf-linear (uniform)'), m('kf-gradient (uniform)'));
    const which = best === m('kf-linear (uniform)') ? 'kf-linear' : 'kf-gradient';
    const verdict = (ok: boolean): string => (ok ? 'met' : 'missed');
    out.push(`- best of KF-linear/KF-gradient (${which}) ${pct(best)} vs ensemble ${pct(ensemble)}: ${points(best - ensemble)} points (target ≥ -2.0): ${verdict(best - ensemble >= -0.02)}`);
    out.push(`- vs OT fusion ${pct(m('ot-fusion'))}: ${points(best - m('ot-fusion'))} points (target ≥ +2.0): ${verdict(best - m('ot-fusion') >= 0.02)}`);
    out.push(`- vs weight matching ${pct(m('weight-matching'))}: ${points(best - m('weight-matching'))} points (target ≥ +2.0): ${verdict(best - m('weight-matching') >= 0.02)}`);
  }
  if (speed !== null) {
    out.push(`- KF-linear of ${speed.parents} ResNets on ${speed.calibrationSamples} samples: median ${secs(speed.medianWall)} s wall, ${secs(speed.medianCpu)} s CPU (target ≤ 10 s): wall ${speed.medianWall <= 10 ? 'met' : 'missed'}, CPU ${speed.medianCpu <= 10 ? 'met' : 'missed'}`);
  }
  return out;
}

function commandLine(): string {
  return `node --import tsx scripts/bench-models.ts ${process.argv.slice(2).join(' ')}`.trim();
}

targetLines = targets();
if (targetLines.length > 0) {
  print('\n#### Targets (split-by-4 ResNet, means over seeds; speed)\n');
  print(targetLines.join('\n'));
}
const loadEnd = os.loadavg();
print(`\n${new Date(started).toISOString().slice(0, 16)} UTC, \`${commandLine()}\`, ${machine}; ${((Date.now() - started) / 60_000).toFixed(0)} min; 1-minute load average at each part's start: ${Object.entries(loads).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}; at the end ${loadEnd[0]!.toFixed(1)} (shared machine).`);
save();
log(`bench-models: done in ${((Date.now() - started) / 60_000).toFixed(1)} min; load average at the end ${loadEnd.map((l) => l.toFixed(2)).join(' ')}; wrote ${out}`);
