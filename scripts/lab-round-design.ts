/**
 * Lab: which round design keeps neuron fusion ahead of FedAvg over many
 * rounds (issue 11). In process, without sockets or a store, so that many
 * designs fit in the time budget; the chosen design is then measured through
 * the real server by scripts/bench-federated.ts.
 *
 *   node --import tsx scripts/lab-round-design.ts --partition dirichlet:0.1 --rounds 30 \
 *     --trajectories avg,feddf,fused --seed 0 [--model mlp:256] [--clients 20] [--fraction 0.5] [--epochs 2]
 *
 * A design has two parts: the model the next round's clients start from (the
 * trajectory) and the model the server serves. For one trajectory every
 * served variant is computed from the same updates, so the served variants
 * of a run are paired comparisons; each trajectory is its own run, on the
 * same partitions, initial model, client sampling and training seeds.
 *
 * Served variants per round (from the round's client updates):
 *   avg            FedAvg average (example-weighted)
 *   avg+prior      avg with the class-prior bias correction on the calibration set
 *   feddf          avg distilled toward the clients' ensemble on the calibration set (FedDF)
 *   feddf+prior    feddf with the prior correction
 *   fused          kf-linear with the federated settings except the prior correction
 *   fused+prior    kf-linear with all the federated settings (today's served model)
 *   avg2+prior     FedAvg over this round's updates and the previous round's updates of the
 *                  clients not sampled now (stale by one round), with the prior correction
 *   fused2, fused2+prior   kf-linear over the same two rounds' updates
 *   fused+start+prior      kf-linear over the updates and the round's start model (the server's default)
 *   fused2+start+prior     the same with the stale updates too
 *   mid+prior      the weight-space midpoint of fused+start+prior (before its prior) and avg, then the prior
 *                  (index grouping keeps the fused neurons at their parents' places, so the midpoint is aligned)
 *   avg+start+prior        FedAvg of the updates and the start model (weighted like all updates together:
 *                  a server learning rate of 0.5), with the prior correction
 * and the clients' ensemble (averaged softmax) for reference.
 *
 * Fashion-MNIST: all 60,000 training images go to the clients; calibration
 * (class-balanced) and test come from the 10,000 t10k images, disjoint.
 * Writes results/lab-round-design/<partition>-<trajectory>-s<seed>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { initBackend } from '../common/backend/index.ts';
import { carveHoldout, loadFashionMnist, parsePartitionScheme, partition, subset } from '../common/data/index.ts';
import { initNetwork, parseArchitecture } from '../common/model/index.ts';
import type { Network } from '../common/model/network.ts';
import { SeededRandom } from '../common/random/index.ts';
import { evaluateNetwork } from '../common/training/index.ts';
import { distillEnsemble } from '../server/distillation/index.ts';
import { ensembleProbabilities, FEDERATED_FUSION_SETTINGS, fuse, matchOutputPrior, weightedParameterSum } from '../server/fusion/index.ts';
import { encodeModelBlob } from '../server/rounds/model-blobs.ts';
import { LabTrainPool } from './lab/lab-train-pool.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const PARTITION = arg('partition', 'dirichlet:0.1');
const ROUNDS = Number(arg('rounds', '30'));
const TRAJECTORIES = arg('trajectories', 'avg').split(',');
const SEED = Number(arg('seed', '0'));
const MODEL = arg('model', 'mlp:256');
const CLIENTS = Number(arg('clients', '20'));
const FRACTION = Number(arg('fraction', '0.5'));
const EPOCHS = Number(arg('epochs', '2'));
const CALIBRATION = Number(arg('calibration', '400'));
const THREADS = Number(arg('threads', '2'));
const MU = Number(arg('mu', '0'));
/** When given, every round's start model and updates are written there (for scripts/lab-aggregation.ts). */
const DUMP = arg('dump', '');
const OUT = path.join('results', 'lab-round-design');

const VARIANTS = [
  'avg',
  'avg+prior',
  'feddf',
  'feddf+prior',
  'fused',
  'fused+prior',
  'avg2+prior',
  'fused2',
  'fused2+prior',
  'fused+start+prior',
  'fused2+start+prior',
  'mid+prior',
  'avg+start+prior',
] as const;
type Variant = (typeof VARIANTS)[number];

interface RoundRow {
  round: number;
  accuracy: Record<string, number>;
  ensemble: number;
  seconds: { training: number; fusion: number; distill: number; total: number };
  trainedFrom: string;
}

async function main(): Promise<void> {
  await initBackend('wasm', () => {});
  const train = loadFashionMnist('train');
  const t10k = loadFashionMnist('test');
  const holdout = carveHoldout(t10k.labels, { testSize: t10k.count - CALIBRATION, calibrationSize: CALIBRATION, seed: SEED });
  const calibration = subset(t10k, holdout.calibration, 'calibration');
  const test = subset(t10k, holdout.test, 'test');
  const scheme = parsePartitionScheme(PARTITION);
  const parts = partition(train.labels, CLIENTS, scheme, SEED, Array.from({ length: train.count }, (_, i) => i));
  const clients = parts.map((idx, i) => subset(train, idx, `client ${i}`));
  const spec = parseArchitecture(MODEL, train.sampleShape, train.numClasses);
  const initial = initNetwork(spec, SEED * 7_919 + 1);
  const pool = await LabTrainPool.start(clients.map((c) => ({ images: c.images, labels: c.labels, count: c.count })), THREADS);
  const perRound = Math.max(1, Math.ceil(FRACTION * CLIENTS));
  console.log(`fashion-mnist ${PARTITION}: ${CLIENTS} clients (${clients.map((c) => c.count).join(' ')}), ${perRound}/round, E=${EPOCHS}, ${MODEL}, calibration ${calibration.count}, test ${test.count}; load ${loadavg()[0]!.toFixed(1)}`);
  mkdirSync(OUT, { recursive: true });
  try {
    for (const trajectory of TRAJECTORIES) {
      const rows: RoundRow[] = [];
      let start: Network = initial;
      let stale: { clients: number[]; updates: Network[] } = { clients: [], updates: [] };
      for (let round = 1; round <= ROUNDS; round++) {
        const t0 = performance.now();
        // Same clients per round for every trajectory of a seed: paired comparisons.
        const sampled = new SeededRandom(SEED * 1_000_003 + round * 1_009).permutation(CLIENTS).slice(0, perRound).sort((a, b) => a - b);
        const order = [...sampled].sort((a, b) => clients[b]!.count - clients[a]!.count);
        const trainedByClient = new Map<number, Network>();
        await Promise.all(
          order.map(async (c) => {
            const t = await pool.train(c, start, { epochs: EPOCHS, batchSize: 64, learningRate: 0.001, optimizer: 'adam', proximalMu: MU }, SEED * 100_003 + c * 1_000 + round);
            trainedByClient.set(c, t.network);
          }),
        );
        const updates = sampled.map((c) => trainedByClient.get(c)!);
        const examples = sampled.map((c) => clients[c]!.count);
        const t1 = performance.now();
        if (DUMP !== '') dumpRound(DUMP, trajectory, round, start, updates, examples);
        const older = stale.clients.flatMap((c, i) => (sampled.includes(c) ? [] : [{ update: stale.updates[i]!, examples: clients[c]!.count }]));
        const { served, fusionSeconds, distillSeconds } = await servedVariants(updates, examples, older, round > 1 ? start : null, calibration.images, calibration.count, SEED * 7_919 + round);
        stale = { clients: sampled, updates };
        const accuracy: Record<string, number> = {};
        for (const v of VARIANTS) accuracy[v] = (await evaluateNetwork(served[v], test.images, test.labels, test.count)).accuracy;
        const ensemble = await ensembleAccuracy(updates, test.images, test.labels, test.count);
        const next = served[trajectory as Variant];
        if (next === undefined) throw new Error(`unknown trajectory ${trajectory}: use one of ${VARIANTS.join(', ')}`);
        start = next;
        const row: RoundRow = {
          round,
          accuracy,
          ensemble,
          seconds: { training: (t1 - t0) / 1000, fusion: fusionSeconds, distill: distillSeconds, total: (performance.now() - t0) / 1000 },
          trainedFrom: trajectory,
        };
        rows.push(row);
        console.log(
          `[${trajectory}] r${round} ` + VARIANTS.map((v) => `${v} ${(100 * accuracy[v]!).toFixed(1)}`).join(' | ') + ` | ens ${(100 * ensemble).toFixed(1)} | ${row.seconds.total.toFixed(1)}s`,
        );
      }
      const file = path.join(OUT, `${PARTITION.replace(/[:]/g, '')}-${MODEL.replace(/[:,]/g, '')}-${trajectory}-s${SEED}${MU > 0 ? `-mu${MU}` : ''}.json`);
      writeFileSync(file, JSON.stringify({ partition: PARTITION, model: MODEL, clients: CLIENTS, fraction: FRACTION, epochs: EPOCHS, seed: SEED, mu: MU, trajectory, rows }, null, 1));
    }
  } finally {
    await pool.close();
  }
}

async function servedVariants(
  updates: Network[],
  examples: number[],
  older: { update: Network; examples: number }[],
  start: Network | null,
  calibration: Float32Array,
  samples: number,
  seed: number,
): Promise<{ served: Record<Variant, Network>; fusionSeconds: number; distillSeconds: number }> {
  const total = examples.reduce((a, b) => a + b, 0);
  const avg = weightedParameterSum(updates, examples.map((n) => n / total));
  const prior = async (n: Network): Promise<Network> => (await matchOutputPrior(n, calibration, samples, Array(10).fill(0.1))).network;
  const f0 = performance.now();
  const fused = (await fuse(updates, calibration, { method: 'kf-linear', numExamples: examples, seed, ...FEDERATED_FUSION_SETTINGS, outputPrior: 'none' })).network;
  const f1 = performance.now();
  const feddf = (await distillEnsemble(avg, updates, calibration, samples, { seed })).network;
  const f2 = performance.now();
  const both = [...updates, ...older.map((o) => o.update)];
  const bothExamples = [...examples, ...older.map((o) => o.examples)];
  const bothTotal = bothExamples.reduce((a, b) => a + b, 0);
  const avg2 = weightedParameterSum(both, bothExamples.map((n) => n / bothTotal));
  const fused2 = older.length === 0 ? fused : (await fuse(both, calibration, { method: 'kf-linear', numExamples: bothExamples, seed, ...FEDERATED_FUSION_SETTINGS, outputPrior: 'none' })).network;
  const withStart = (models: Network[], counts: number[]): { models: Network[]; counts: number[] } =>
    start === null ? { models, counts } : { models: [...models, start], counts: [...counts, counts.reduce((a, b) => a + b, 0)] };
  const fuseRaw = async (models: Network[], counts: number[]): Promise<Network> =>
    (await fuse(models, calibration, { method: 'kf-linear', numExamples: counts, seed, ...FEDERATED_FUSION_SETTINGS, outputPrior: 'none' })).network;
  const s1 = withStart(updates, examples);
  const fusedStart = start === null ? fused : await fuseRaw(s1.models, s1.counts);
  const s2 = withStart(both, bothExamples);
  const fused2Start = start === null && older.length === 0 ? fused : await fuseRaw(s2.models, s2.counts);
  const mid = weightedParameterSum([fusedStart, avg], [0.5, 0.5]);
  const avgStart = start === null ? avg : weightedParameterSum([avg, start], [0.5, 0.5]);
  return {
    served: {
      'fused+start+prior': await prior(fusedStart),
      'fused2+start+prior': await prior(fused2Start),
      'mid+prior': await prior(mid),
      'avg+start+prior': await prior(avgStart),
      avg,
      'avg+prior': await prior(avg),
      feddf,
      'feddf+prior': await prior(feddf),
      fused,
      'fused+prior': await prior(fused),
      'avg2+prior': await prior(avg2),
      fused2,
      'fused2+prior': await prior(fused2),
    },
    fusionSeconds: (f1 - f0) / 1000,
    distillSeconds: (f2 - f1) / 1000,
  };
}

function dumpRound(dir: string, trajectory: string, round: number, start: Network, updates: Network[], examples: number[]): void {
  const d = path.join(dir, `${PARTITION.replace(/[:]/g, '')}-${MODEL.replace(/[:,]/g, '')}-${trajectory}-s${SEED}`);
  mkdirSync(d, { recursive: true });
  const blobs = [start, ...updates].map((n) => encodeModelBlob(n));
  writeFileSync(path.join(d, `r${round}.json`), JSON.stringify({ round, examples, sizes: blobs.map((b) => b.byteLength) }));
  writeFileSync(path.join(d, `r${round}.bin`), Buffer.concat(blobs));
}

async function ensembleAccuracy(parents: Network[], images: Float32Array, labels: Int32Array, count: number): Promise<number> {
  const p = await ensembleProbabilities(parents, images);
  const classes = p.length / count;
  let correct = 0;
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[i * classes + c]! > p[i * classes + best]!) best = c;
    if (best === labels[i]) correct++;
  }
  return correct / count;
}

await main();
