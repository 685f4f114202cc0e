import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { networkLogits } from '../common/model/network-logits.ts';
import { FedfuseError } from '../common/errors/index.ts';
import { mlpSpec, smallCnnSpec, type ModelSpec } from '../common/model/spec.ts';
import type { Network } from '../common/model/network.ts';
import { SeededRandom } from '../common/random/index.ts';
import {
  classConsensusMixing,
  FEDERATED_FUSION_SETTINGS,
  fuse,
  logitSpread,
  matchOutputPrior,
  mixTargets,
  RidgeSystem,
  weightedParameterSum,
  type NeuronMixing,
} from '../server/fusion/index.ts';
import { gaussianInputs, liveRandomNetwork, logitsOf, maxAbsDiff, permuteHiddenUnits, randomNetwork, randomPermutations } from './fusion-fixtures.ts';

// The federated settings (FEDERATED_FUSION_SETTINGS): class consensus of the
// output layer, ridge toward the parents' aligned weights, k-means started
// from neuron indices, FedAvg-scaled logits, class-prior matching. Each is
// checked by a property that a wrong implementation breaks.

const MLP: ModelSpec = mlpSpec(6, [10, 8], 3);
const CNN: ModelSpec = smallCnnSpec([8, 8, 1], [4, 6], 3);

before(async () => {
  await initBackend();
});

/** Logits minus each sample's mean: what softmax sees (the class consensus fixes the mean at zero). */
async function centredLogitsOf(net: Network, inputs: Float32Array): Promise<Float32Array> {
  const z = await logitsOf(net, inputs);
  const classes = net.layers.at(-1)!.kernelShape.at(-1)!;
  for (let i = 0; i < z.length; i += classes) {
    let mean = 0;
    for (let c = 0; c < classes; c++) mean += z[i + c]! / classes;
    for (let c = 0; c < classes; c++) z[i + c]! -= mean;
  }
  return z;
}

/** s = Σ_k A_k z_k for one sample's logits (parents x classes). */
function applyMixing(mixing: NeuronMixing, logits: number[][]): number[] {
  return Array.from(mixTargets(Float32Array.from(logits.flat()), 1, mixing));
}

function randomLogits(random: SeededRandom, parents: number, classes: number): number[][] {
  return Array.from({ length: parents }, () => Array.from({ length: classes }, () => random.normal() * 3));
}

describe('class consensus of output layers', () => {
  test('equal evidence gives the mean of the centred logits', () => {
    const random = new SeededRandom(1);
    const mixing = classConsensusMixing(Array.from({ length: 4 }, () => [5, 5, 5, 5, 5]));
    for (let trial = 0; trial < 5; trial++) {
      const z = randomLogits(random, 4, 5);
      const expected = Array.from({ length: 5 }, (_, c) => z.reduce((a, row) => a + row[c]! - row.reduce((x, y) => x + y, 0) / 5, 0) / 4);
      assert.ok(maxAbsDiff(applyMixing(mixing, z), expected) < 1e-5); // targets pass through float32
    }
  });

  test('a per-parent shift of all logits changes nothing (softmax ignores it)', () => {
    const random = new SeededRandom(2);
    const evidence = [[100, 3, 0, 0], [0, 50, 60, 1], [7, 0, 0, 90]];
    const mixing = classConsensusMixing(evidence);
    const z = randomLogits(random, 3, 4);
    const shifted = z.map((row, k) => row.map((v) => v + 10 * (k + 1)));
    assert.ok(maxAbsDiff(applyMixing(mixing, z), applyMixing(mixing, shifted)) < 1e-4);
  });

  test("a parent's logit for a class it never saw barely counts; for a class it holds, it does", () => {
    const evidence = [[100, 100, 0], [0, 100, 100]];
    const mixing = classConsensusMixing(evidence);
    const z = [[1, 0, 0], [0, 0, 0]];
    const base = applyMixing(mixing, z);
    const unseen = applyMixing(mixing, [[1, 0, 50], [0, 0, 0]]); // parent 0 never saw class 2
    const seen = applyMixing(mixing, [[1, 0, 0], [0, 0, 50]]); // parent 1 holds class 2
    assert.ok(Math.abs(unseen[2]! - unseen[1]! - (base[2]! - base[1]!)) < 0.5, `unseen class moved by ${unseen[2]! - base[2]!}`);
    assert.ok(seen[2]! - seen[1]! - (base[2]! - base[1]!) > 25, `held class moved by ${seen[2]! - base[2]!}`);
  });

  test('rejects evidence that is negative, not finite or ragged', () => {
    for (const bad of [[[1, -1], [1, 1]], [[1, Number.NaN], [1, 1]], [[1, 1], [1]]]) {
      assert.throws(() => classConsensusMixing(bad), FedfuseError);
    }
  });
});

describe('ridge least squares toward a prior', () => {
  const random = new SeededRandom(3);
  const rows = 5;
  const columns = 8; // fewer rows than columns: the data leave 3+ directions free
  const x = Float32Array.from({ length: rows * columns }, () => random.normal());
  const prior = Float64Array.from({ length: columns * 2 }, () => random.normal());
  const system = RidgeSystem.create(x, rows, columns, { relativeLambda: 1e-3 });
  const xTimes = (w: Float64Array): Float64Array => {
    const out = new Float64Array(rows * 2);
    for (let r = 0; r < rows; r++) for (let j = 0; j < columns; j++) for (let c = 0; c < 2; c++) out[r * 2 + c]! += x[r * columns + j]! * w[j * 2 + c]!;
    return out;
  };

  test('targets the prior reproduces give back the prior, not its projection', () => {
    const w = system.solve(xTimes(prior), 2, prior);
    assert.ok(maxAbsDiff(w, prior) < 1e-9);
    const plain = system.solve(xTimes(prior), 2);
    assert.ok(maxAbsDiff(plain, prior) > 0.1, 'plain ridge should lose the directions X does not see');
  });

  test('other targets are fitted, and the unseen directions stay at the prior', () => {
    const targets = Float64Array.from({ length: rows * 2 }, () => random.normal());
    const w = system.solve(targets, 2, prior);
    assert.ok(maxAbsDiff(xTimes(w), targets) < 1e-2);
    // w − prior lies in the row space of X: it is the plain ridge fit of the residual.
    const residual = Float64Array.from(targets, (t, i) => t - xTimes(prior)[i]!);
    assert.ok(maxAbsDiff(Float64Array.from(w, (v, i) => v - prior[i]!), system.solve(residual, 2)) < 1e-9);
  });

  test('a prior of the wrong size is a shape error', () => {
    assert.throws(() => system.solve(new Float64Array(rows * 2), 2, new Float64Array(3)), FedfuseError);
  });
});

describe('fusion with the federated settings', () => {
  test('parents that are one model give back that model (index start, aligned prior)', async () => {
    for (const spec of [MLP, CNN]) {
      const calibration = gaussianInputs(spec, 16, 4); // fewer samples than the first layer has inputs
      const net = await liveRandomNetwork(spec, 5, calibration);
      const { network } = await fuse([net, net, net], calibration, {
        method: 'kf-linear',
        ...FEDERATED_FUSION_SETTINGS,
        outputPrior: 'none',
        outputScale: 'fitted',
        numExamples: [1, 2, 3],
      });
      const test = gaussianInputs(spec, 24, 6);
      const diff = maxAbsDiff(await centredLogitsOf(network, test), await centredLogitsOf(net, test));
      assert.ok(diff < 1e-3, `${spec.layers.length}-layer model: max |Δ logits| = ${diff}`);
    }
  });

  test('the first layer of parents from one start is the mean of their neurons i (uniform importance)', async () => {
    const spec = mlpSpec(6, [10], 3);
    const calibration = gaussianInputs(spec, 8, 7);
    const base = await liveRandomNetwork(spec, 8, calibration);
    // Small per-parent changes: k-means started from the indices keeps neuron i with neuron i.
    const parents = [1, 2].map((seed) => {
      const noise = randomNetwork(spec, 100 + seed);
      return { spec, layers: base.layers.map((l, i) => ({ ...l, kernel: l.kernel.map((v, j) => v + 0.01 * (noise.layers[i]?.kernel[j] ?? 0)) })) };
    });
    const { network } = await fuse(parents, calibration, { method: 'kf-linear', ...FEDERATED_FUSION_SETTINGS, numExamples: [1, 3] });
    // Neuron importances, not numExamples, weigh the members of a group: uniform importance is a plain mean.
    const mean = weightedParameterSum(parents, [0.5, 0.5]);
    const diff = maxAbsDiff(network.layers[0]!.kernel, mean.layers[0]!.kernel);
    assert.ok(diff < 1e-4, `max |Δ first-layer kernel| = ${diff}`);
  });

  test('permuted copies give back the function: the aligned prior follows the grouping through the permutation', async () => {
    const calibration = gaussianInputs(MLP, 8, 9); // fewer samples than inputs: only the prior pins the weights down
    const net = await liveRandomNetwork(MLP, 10, calibration);
    const random = new SeededRandom(11);
    const parents = [net, permuteHiddenUnits(net, randomPermutations(MLP, random))];
    // Farthest-point start: an index start is for parents from one model, which permuted copies are not.
    const { network } = await fuse(parents, calibration, {
      method: 'kf-linear',
      ...FEDERATED_FUSION_SETTINGS,
      groupingStart: 'farthest-point',
      outputPrior: 'none',
      outputScale: 'fitted',
    });
    const test = gaussianInputs(MLP, 24, 12);
    const diff = maxAbsDiff(await centredLogitsOf(network, test), await centredLogitsOf(net, test));
    assert.ok(diff < 1e-3, `max |Δ centred logits| = ${diff}`);
  });

  test("the fused logits spread like FedAvg's and the mean prediction matches the prior", async () => {
    const calibration = gaussianInputs(MLP, 40, 13);
    const parents = [randomNetwork(MLP, 14), randomNetwork(MLP, 15), randomNetwork(MLP, 16)];
    const numExamples = [1, 2, 3];
    const { network, report } = await fuse(parents, calibration, { method: 'kf-linear', ...FEDERATED_FUSION_SETTINGS, outputPrior: 'none', numExamples });
    const reference = weightedParameterSum(parents, [1 / 6, 2 / 6, 3 / 6]);
    const spread = logitSpread(await networkLogits(network, calibration, 40), 40);
    assert.ok(Math.abs(spread / logitSpread(await networkLogits(reference, calibration, 40), 40) - 1) < 1e-4, `spread ${spread}`);
    assert.ok(report.outputCalibration !== undefined && report.outputCalibration.scale !== 1);

    const prior = [0.5, 0.3, 0.2];
    const matched = (await matchOutputPrior(network, calibration, 40, prior)).network;
    const probabilities = await logitsOf(matched, calibration).then((z) => softmaxMeans(z, 3));
    assert.ok(maxAbsDiff(probabilities, prior) < 1e-5, `mean predictions ${probabilities}`);
    // Only the output biases moved.
    assert.deepEqual(matched.layers.slice(0, -1), network.layers.slice(0, -1));
    assert.deepEqual(matched.layers.at(-1)!.kernel, network.layers.at(-1)!.kernel);
  });

  test('without numExamples the FedAvg scale is skipped, and says why', async () => {
    const calibration = gaussianInputs(MLP, 20, 17);
    const { report } = await fuse([randomNetwork(MLP, 18), randomNetwork(MLP, 19)], calibration, { method: 'kf-linear', ...FEDERATED_FUSION_SETTINGS });
    assert.equal(report.outputCalibration?.scale, 1);
    assert.match(report.outputCalibration?.scaleSkipped ?? '', /numExamples/);
  });

  test('bad settings are typed errors', async () => {
    const calibration = gaussianInputs(MLP, 20, 20);
    const parents: Network[] = [randomNetwork(MLP, 21), randomNetwork(MLP, 22)];
    const bad: Record<string, unknown>[] = [
      { outputCombination: 'vote' },
      { ridgePrior: 'mean' },
      { groupingStart: 'random' },
      { outputScale: 'big' },
      { outputPrior: [1, 2] },
      { outputPrior: [1, 0, 1] },
      { classEvidence: [[1, 2, 3]] },
      { classEvidence: [[1, 2, 3], [1, -2, 3]] },
    ];
    for (const options of bad) {
      await assert.rejects(fuse(parents, calibration, { method: 'kf-linear', ...(options as object) }), FedfuseError, JSON.stringify(options));
    }
  });
});

function softmaxMeans(logits: Float32Array, classes: number): number[] {
  const samples = logits.length / classes;
  const out = new Array<number>(classes).fill(0);
  for (let i = 0; i < samples; i++) {
    const row = Array.from(logits.subarray(i * classes, (i + 1) * classes));
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    e.forEach((v, c) => (out[c]! += v / sum / samples));
  }
  return out;
}
