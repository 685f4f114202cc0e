/**
 * Quick fusion benchmark (the full one is scripts/bench-fusion.ts): the
 * paper's MNIST setting — K MLPs 784-256-10 trained from independent
 * initialisations on split-by-k non-IID shards of the embedded MNIST, fused
 * with 400 class-balanced calibration samples — reporting accuracy of each
 * method and KF-linear's wall time (best and median of a few repetitions,
 * since the CPU is shared).
 *
 *   node --import tsx scripts/bench-fusion-quick.ts [--k 2,4,8] [--epochs 3] [--reps 3]
 *        [--sweep-restarts 1,3,10] [--sweep-lambda 1e-8,1e-6,1e-4] [--sweep-stop 0.05,0.01,0] [--calibration 400]
 *        [--scaling 2,4,8,16]   (KF-linear time vs K on untrained MLPs 784-256-10)
 *        [--cnn-k 4 --cnn-budgets 8000,20000]   (timing of KF-linear on untrained CNNs 28x28x1 conv32-pool-conv64-pool-dense10)
 */
import { parseArgs } from 'node:util';
import { initBackend } from '../common/backend/index.ts';
import { carveHoldout, loadEmbeddedMnist, partition, subset } from '../common/data/index.ts';
import { initNetwork, mlpSpec, smallCnnSpec, type Network } from '../common/model/index.ts';
import { evaluateNetwork, trainNetwork } from '../common/training/index.ts';
import { ensembleProbabilities, fuse, type FusionOptions, type FusionResult } from '../server/fusion/index.ts';

const { values: args } = parseArgs({
  options: {
    k: { type: 'string', default: '2,4,8' },
    epochs: { type: 'string', default: '3' },
    reps: { type: 'string', default: '3' },
    calibration: { type: 'string', default: '400' },
    'sweep-restarts': { type: 'string' },
    'sweep-lambda': { type: 'string' },
    'sweep-stop': { type: 'string' },
    'cnn-k': { type: 'string' },
    scaling: { type: 'string' },
    'cnn-budgets': { type: 'string', default: '20000' },
  },
});
const list = (s: string): number[] => s.split(',').filter((v) => v.trim() !== '').map(Number);

const backend = await initBackend();
const mnist = loadEmbeddedMnist();
const holdout = carveHoldout(mnist.labels, { testSize: 2000, calibrationSize: Number(args.calibration), seed: 1 });
const test = subset(mnist, holdout.test, 'test');
const calibration = subset(mnist, holdout.calibration, 'calibration').images;
const spec = mlpSpec(784, [256], 10);

async function accuracy(net: Network): Promise<number> {
  return (await evaluateNetwork(net, test.images, test.labels, test.count)).accuracy;
}

async function ensembleAccuracy(parents: Network[]): Promise<number> {
  const p = await ensembleProbabilities(parents, test.images);
  let correct = 0;
  for (let i = 0; i < test.count; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (p[i * 10 + c]! > p[i * 10 + best]!) best = c;
    if (best === test.labels[i]) correct++;
  }
  return correct / test.count;
}

async function timed(parents: Network[], options: FusionOptions, reps: number): Promise<{ result: FusionResult; best: number; median: number }> {
  const times: number[] = [];
  let result: FusionResult | null = null;
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    result = await fuse(parents, calibration, options);
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return { result: result!, best: times[0]!, median: times[Math.floor(times.length / 2)]! };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
console.log(`backend ${backend}; MNIST ${mnist.count} images; test ${test.count}; calibration ${holdout.calibration.length}`);

for (const k of list(args.k)) {
  const clients = partition(mnist.labels, k, { kind: 'split-by-k' }, 2, holdout.rest);
  const trainStart = performance.now();
  const parents: Network[] = [];
  for (let c = 0; c < k; c++) {
    const data = subset(mnist, clients[c]!, `client-${c}`);
    const { network } = await trainNetwork(initNetwork(spec, 100 + c), data, {
      epochs: Number(args.epochs),
      batchSize: 32,
      learningRate: 1e-3,
      optimizer: 'adam',
      seed: c,
    });
    parents.push(network);
  }
  const parentAcc = await Promise.all(parents.map(accuracy));
  console.log(`\nK = ${k}: trained in ${((performance.now() - trainStart) / 1000).toFixed(1)} s on ${clients.map((c) => c.length).join('/')} samples`);
  console.log(`  parents        ${parentAcc.map(pct).join(' ')} (mean ${pct(parentAcc.reduce((a, b) => a + b, 0) / k)})`);
  console.log(`  ensemble       ${pct(await ensembleAccuracy(parents))}`);
  const numExamples = clients.map((c) => c.length);
  for (const method of ['average', 'fedavg'] as const) {
    const { network } = await fuse(parents, calibration, { method, numExamples });
    console.log(`  ${method.padEnd(14)} ${pct(await accuracy(network))}`);
  }
  const reps = Number(args.reps);
  const kf = await timed(parents, { method: 'kf-linear', seed: 1 }, reps);
  const level = kf.result.report.levels[0]!;
  console.log(
    `  kf-linear      ${pct(await accuracy(kf.result.network))}  time best ${kf.best.toFixed(2)} s, median ${kf.median.toFixed(2)} s` +
      ` [level 1: forward ${level.seconds.forward.toFixed(2)}, factor ${level.seconds.factorisation.toFixed(2)}, group ${level.seconds.grouping.toFixed(2)}, solve ${level.seconds.solve.toFixed(2)};` +
      ` k-means ${level.kmeans!.iterations} it, cost ${level.kmeans!.cost.toExponential(3)}; fit error ${level.targetFitRelativeError.toExponential(2)}]`,
  );
  const act = await fuse(parents, calibration, { method: 'kf-linear', seed: 1, importance: 'activation' });
  console.log(`  kf-linear(act) ${pct(await accuracy(act.network))}  ${act.report.totalSeconds.toFixed(2)} s`);
  if (k === 2) {
    const hf = await timed(parents, { method: 'hf', seed: 1 }, reps);
    console.log(`  hf             ${pct(await accuracy(hf.result.network))}  time best ${hf.best.toFixed(2)} s, median ${hf.median.toFixed(2)} s`);
  }
  if (args['sweep-restarts'] !== undefined) {
    for (const restarts of list(args['sweep-restarts'])) {
      const r = await timed(parents, { method: 'kf-linear', seed: 1, kmeans: { restarts } }, reps);
      const km = r.result.report.levels[0]!.kmeans!;
      console.log(
        `    restarts ${String(restarts).padStart(2)}: cost ${km.cost.toExponential(4)} (runs ${km.restartCosts.map((c) => c.toExponential(3)).join(' ')}), ` +
          `accuracy ${pct(await accuracy(r.result.network))}, level-1 grouping ${r.result.report.levels[0]!.seconds.grouping.toFixed(2)} s, total best ${r.best.toFixed(2)} s`,
      );
    }
  }
  if (args['sweep-stop'] !== undefined) {
    for (const minRelativeImprovement of list(args['sweep-stop'])) {
      const r = await timed(parents, { method: 'kf-linear', seed: 1, kmeans: { minRelativeImprovement } }, reps);
      const km = r.result.report.levels[0]!.kmeans!;
      console.log(
        `    early stop below ${minRelativeImprovement}: ${km.iterations} iterations, cost ${km.cost.toExponential(4)}, ` +
          `accuracy ${pct(await accuracy(r.result.network))}, total best ${r.best.toFixed(2)} s`,
      );
    }
  }
  if (args['sweep-lambda'] !== undefined) {
    for (const relativeLambda of list(args['sweep-lambda'])) {
      const r = await fuse(parents, calibration, { method: 'kf-linear', seed: 1, ridge: { relativeLambda } });
      const fit = r.report.levels.map((l) => l.targetFitRelativeError.toExponential(2)).join(' / ');
      console.log(`    lambda ${relativeLambda.toExponential(0)}: accuracy ${pct(await accuracy(r.network))}, fit errors ${fit}`);
    }
  }
}

if (args.scaling !== undefined) {
  console.log('\nKF-linear time vs K (untrained MLPs 784-256-10, 400 calibration samples)');
  for (const k of list(args.scaling)) {
    const parents = Array.from({ length: k }, (_, c) => initNetwork(spec, 300 + c));
    const r = await timed(parents, { method: 'kf-linear', seed: 1 }, Number(args.reps));
    const l = r.result.report.levels[0]!;
    console.log(
      `  K = ${String(k).padStart(2)}: best ${r.best.toFixed(2)} s, median ${r.median.toFixed(2)} s (${(r.best / k).toFixed(3)} s per parent); ` +
        `level 1 factor ${l.seconds.factorisation.toFixed(2)}, group ${l.seconds.grouping.toFixed(2)} (${l.kmeans!.iterations} it), solve ${l.seconds.solve.toFixed(2)}`,
    );
  }
}

if (args['cnn-k'] !== undefined) {
  const k = Number(args['cnn-k']);
  const cnn = smallCnnSpec([28, 28, 1], [32, 64], 10);
  // Untrained (Glorot init, zero bias) CNNs: the timing does not depend on what the weights learned.
  const parents = Array.from({ length: k }, (_, c) => initNetwork(cnn, 200 + c));
  console.log(`\nCNN timing, K = ${k} untrained conv32-pool-conv64-pool-dense10 on 28x28x1, ${holdout.calibration.length} calibration samples`);
  for (const convRowBudget of list(args['cnn-budgets'])) {
    const r = await timed(parents, { method: 'kf-linear', seed: 1, convRowBudget }, Number(args.reps));
    const levels = r.result.report.levels
      .map((l) => `${l.kind} ${l.rows}x${l.columns} (${l.ridgeForm}): ${l.seconds.total.toFixed(2)} s [factor ${l.seconds.factorisation.toFixed(2)}, group ${l.seconds.grouping.toFixed(2)}, solve ${l.seconds.solve.toFixed(2)}]`)
      .join('; ');
    console.log(`  budget ${convRowBudget}: best ${r.best.toFixed(2)} s, median ${r.median.toFixed(2)} s — ${levels}`);
  }
}
