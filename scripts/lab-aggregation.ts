/**
 * Lab: aggregation variants on stored rounds (the updates that
 * scripts/lab-round-design.ts --dump wrote), without training again: every
 * variant sees exactly the same client models.
 *
 *   node --import tsx scripts/lab-aggregation.ts --dir /work/lab-dumps/dirichlet0.1-mlp256-avg-s0 --rounds 1,5,10,20,30 [--seed 0]
 *
 * Prints, per round, the test accuracy of each variant with and without the
 * class-prior correction, and the mean over the rounds given.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initBackend } from '../common/backend/index.ts';
import { carveHoldout, loadFashionMnist, parsePartitionScheme, partition, subset } from '../common/data/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import type { Network } from '../common/model/network.ts';
import { evaluateNetwork } from '../common/training/index.ts';
import { networkLogits } from '../common/model/network-logits.ts';
import { classConsensusMixing, FEDERATED_FUSION_SETTINGS, fuse, matchOutputPrior, priorMatchingShift, weightedParameterSum, type FusionOptions } from '../server/fusion/index.ts';
import { meanSoftmax } from '../server/fusion/mean-softmax.ts';
import { decodeModelBlob } from '../server/rounds/model-blobs.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const DIR = arg('dir', '');
const ROUNDS = arg('rounds', '1,5,10,20,30').split(',').map(Number);
const SEED = Number(arg('seed', '0'));
const CALIBRATION = Number(arg('calibration', '400'));
const ONLY = arg('only', '');
const PARTITION = arg('partition', 'dirichlet:0.1');
const CLIENTS = Number(arg('clients', '20'));
const PER_ROUND = Number(arg('per-round', '10'));
/** Label histograms of the round's sampled clients (recomputed from the partition, as the lab dealt it). */
let histograms: number[][] = [];

type Variant = (u: Network[], ex: number[], cal: Float32Array, n: number, seed: number) => Promise<Network>;
/** The model the round's clients started from (the dump's first model). */
let startModel: Network | null = null;
const POPULATION = Number(arg('population-examples', '60000'));

const kf = (extra: Partial<FusionOptions>): Variant => async (u, ex, cal, _n, seed) =>
  (await fuse(u, cal, { method: 'kf-linear', numExamples: ex, seed, ...FEDERATED_FUSION_SETTINGS, outputPrior: 'none', ...extra })).network;
const average: Variant = async (u, ex) => weightedParameterSum(u, ex.map((n) => n / ex.reduce((a, b) => a + b, 0)));

const VARIANTS: Record<string, Variant> = {
  avg: average,
  fused: kf({}),
  'fused-l1e-2': kf({ ridge: { relativeLambda: 1e-2 } }),
  'fused+start(rest)': async (u, ex, cal, n, seed) => kf({})([...u, startModel!], [...ex, POPULATION - ex.reduce((a, b) => a + b, 0)], cal, n, seed),
  'fused+start(round)': async (u, ex, cal, n, seed) => kf({})([...u, startModel!], [...ex, ex.reduce((a, b) => a + b, 0)], cal, n, seed),
  'avg+start': async (u, ex, cal, n, seed) => average([...u, startModel!], [...ex, POPULATION - ex.reduce((a, b) => a + b, 0)], cal, n, seed),
  'fused-hist': async (u, ex, cal, n, seed) => kf({ classEvidence: histograms })(u, ex, cal, n, seed),
};

async function main(): Promise<void> {
  await initBackend('wasm', () => {});
  const t10k = loadFashionMnist('test');
  const holdout = carveHoldout(t10k.labels, { testSize: t10k.count - CALIBRATION, calibrationSize: CALIBRATION, seed: SEED });
  const cal = subset(t10k, holdout.calibration, 'calibration');
  const test = subset(t10k, holdout.test, 'test');
  const train = loadFashionMnist('train');
  const parts = partition(train.labels, CLIENTS, parsePartitionScheme(PARTITION), SEED, Array.from({ length: train.count }, (_, i) => i));
  const clientHistograms = parts.map((idx) => {
    const h = Array(10).fill(0);
    for (const i of idx) h[train.labels[i]!]++;
    return h;
  });
  const names = ONLY === '' ? Object.keys(VARIANTS) : ONLY.split(',');
  const sums: Record<string, [number, number]> = Object.fromEntries(names.map((n) => [n, [0, 0]]));
  for (const round of ROUNDS) {
    const meta = JSON.parse(readFileSync(path.join(DIR, `r${round}.json`), 'utf8')) as { examples: number[]; sizes: number[] };
    const bytes = readFileSync(path.join(DIR, `r${round}.bin`));
    const nets: Network[] = [];
    let offset = 0;
    for (const size of meta.sizes) {
      nets.push(decodeModelBlob(new Uint8Array(bytes.buffer, bytes.byteOffset + offset, size)));
      offset += size;
    }
    const updates = nets.slice(1);
    startModel = nets[0]!;
    const sampled = new SeededRandom(SEED * 1_000_003 + round * 1_009).permutation(CLIENTS).slice(0, PER_ROUND).sort((a, b) => a - b);
    histograms = sampled.map((c) => clientHistograms[c]!);
    if (!histograms.every((h, k) => h.reduce((a: number, b: number) => a + b, 0) === meta.examples[k])) throw new Error('sampled clients do not match the dump');
    const cells: string[] = [];
    for (const name of names) {
      const net = await VARIANTS[name]!(updates, meta.examples, cal.images, cal.count, SEED * 7_919 + round);
      const raw = (await evaluateNetwork(net, test.images, test.labels, test.count)).accuracy;
      const corrected = (await matchOutputPrior(net, cal.images, cal.count, Array(10).fill(0.1))).network;
      const withPrior = (await evaluateNetwork(corrected, test.images, test.labels, test.count)).accuracy;
      sums[name]![0] += raw;
      sums[name]![1] += withPrior;
      cells.push(`${name} ${(100 * raw).toFixed(1)}/${(100 * withPrior).toFixed(1)}`);
    }
    // Label-free: how skewed each client's predictions are on the class-balanced calibration set (KL from uniform of its mean softmax).
    let skew = 0;
    for (const u of updates) {
      const m = meanSoftmax(await networkLogits(u, cal.images, cal.count), cal.count, 10, 0, 10);
      for (let c = 0; c < 10; c++) skew += (0.1 * Math.log(0.1 / Math.max(m[c]!, 1e-12))) / updates.length;
    }
    cells.push(`skew ${skew.toFixed(3)}`);
    const ce = await consensusEnsemble(updates, meta.examples, cal.images, cal.count, test.images, test.labels, test.count);
    cells.push(`consensus-ensemble ${(100 * ce.raw).toFixed(1)}/${(100 * ce.prior).toFixed(1)}`);
    console.log(`r${round}: ${cells.join(' | ')}`);
  }
  console.log(`mean: ${names.map((n) => `${n} ${((100 * sums[n]![0]) / ROUNDS.length).toFixed(2)}/${((100 * sums[n]![1]) / ROUNDS.length).toFixed(2)}`).join(' | ')}`);
}

/** The clients' class consensus as an ensemble (every client runs): s = Σ_k A_k z_k per sample, label-free evidence; raw and prior-matched. */
async function consensusEnsemble(updates: Network[], examples: number[], cal: Float32Array, nCal: number, testX: Float32Array, labels: Int32Array, nTest: number): Promise<{ raw: number; prior: number }> {
  const classes = 10;
  const calLogits = await Promise.all(updates.map((u) => networkLogits(u, cal, nCal)));
  const evidence = calLogits.map((z, k) => Array.from(meanSoftmax(z, nCal, classes, 0, classes), (p) => p * examples[k]!));
  const mixing = classConsensusMixing(evidence);
  const combine = (zs: Float32Array[], n: number): Float32Array => {
    const out = new Float32Array(n * classes);
    for (let e = 0; e < mixing.member.length; e++) {
      const k = Math.floor(mixing.member[e]! / classes);
      const d = mixing.member[e]! % classes;
      const c = mixing.group[e]!;
      const a = mixing.coefficient[e]!;
      const z = zs[k]!;
      for (let i = 0; i < n; i++) out[i * classes + c]! += a * z[i * classes + d]!;
    }
    return out;
  };
  const shift = priorMatchingShift(combine(calLogits, nCal), nCal, Array(classes).fill(0.1)).biasShift;
  const testS = combine(await Promise.all(updates.map((u) => networkLogits(u, testX, nTest))), nTest);
  let raw = 0;
  let prior = 0;
  for (let i = 0; i < nTest; i++) {
    let b = 0;
    let bp = 0;
    for (let c = 1; c < classes; c++) {
      if (testS[i * classes + c]! > testS[i * classes + b]!) b = c;
      if (testS[i * classes + c]! + shift[c]! > testS[i * classes + bp]! + shift[bp]!) bp = c;
    }
    if (b === labels[i]) raw++;
    if (bp === labels[i]) prior++;
  }
  return { raw: raw / nTest, prior: prior / nTest };
}

await main();
