import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { layerWidths, mlpSpec, smallCnnSpec, type ModelSpec } from '../common/model/spec.ts';
import type { Network } from '../common/model/network.ts';
import { SeededRandom } from '../common/random/index.ts';
import { fuse, fuseKMeansLinear } from '../server/fusion/index.ts';
import {
  gaussianInputs,
  logitsOf,
  maxAbs,
  maxAbsDiff,
  liveRandomNetwork,
  permuteHiddenUnits,
  randomNetwork,
  randomPermutations,
  withDuplicatedNeurons,
} from './fusion-fixtures.ts';

// Small models, and calibration sets with more rows than every layer has inputs,
// so that least squares determines the weights exactly: then fusing permuted
// copies must give back the function on ANY input, not only on calibration data.
const MLP: ModelSpec = mlpSpec(6, [10, 8], 3);
const CNN: ModelSpec = smallCnnSpec([8, 8, 1], [4, 6], 3); // conv4-pool-conv6-pool-flatten-dense3
const CALIBRATION_SAMPLES = 64;

function permutedCopies(net: Network, k: number, seed: number): Network[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: k }, (_, i) => (i === 0 ? net : permuteHiddenUnits(net, randomPermutations(net.spec, random))));
}

before(async () => {
  await initBackend();
});

describe('KF-linear recovers the function from permuted copies', () => {
  for (const [name, spec] of [
    ['MLP 6-10-8-3', MLP],
    ['CNN 8x8x1 conv4-pool-conv6-pool-dense3', CNN],
  ] as const) {
    for (const k of [1, 2, 3]) {
      test(`${name}, K = ${k}`, async () => {
        const calibration = gaussianInputs(spec, CALIBRATION_SAMPLES, 12);
        const net = await liveRandomNetwork(spec, 11, calibration);
        const parents = permutedCopies(net, k, 13);
        const { network, report } = await fuse(parents, calibration, { method: 'kf-linear', seed: 14 });
        const test = gaussianInputs(spec, 32, 15);
        const expected = await logitsOf(net, test);
        const diff = maxAbsDiff(await logitsOf(network, test), expected);
        assert.ok(diff < 1e-3, `max |Δ logits| = ${diff} (logits up to ${maxAbs(expected)})`);
        assert.deepEqual(layerWidths(network.spec), layerWidths(spec));
        assert.equal(report.levels.length, layerWidths(spec).length);
        for (const level of report.levels.slice(0, -1)) {
          assert.equal(level.grouping, 'kmeans');
          assert.ok(level.kmeans !== undefined && level.kmeans.cost < 1e-6 * level.rows, `k-means cost ${level.kmeans?.cost}`);
        }
        assert.equal(report.levels.at(-1)!.grouping, 'class-to-class');
      });
    }
  }

  test('strided valid convolution without bias, flattened into a dense layer without bias (K = 2)', async () => {
    const spec: ModelSpec = {
      inputShape: [8, 8, 2],
      layers: [
        { kind: 'conv2d', filters: 5, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', useBias: false },
        { kind: 'flatten' },
        { kind: 'dense', units: 7, activation: 'relu', useBias: false },
        { kind: 'dense', units: 3, activation: 'linear', useBias: true },
      ],
      outputActivation: 'softmax',
    };
    const calibration = gaussianInputs(spec, 80, 16);
    const net = await liveRandomNetwork(spec, 17, calibration);
    const { network } = await fuse(permutedCopies(net, 2, 18), calibration, { method: 'kf-linear', seed: 19 });
    assert.equal(network.layers[0]!.bias, null);
    const test = gaussianInputs(spec, 32, 20);
    const diff = maxAbsDiff(await logitsOf(network, test), await logitsOf(net, test));
    assert.ok(diff < 1e-3, `max |Δ logits| = ${diff}`);
  });

  test('with fewer calibration samples than inputs, the function is recovered on the calibration inputs', async () => {
    // 12 samples, 21 inputs + bias: X is rank-deficient, least squares is fixed only on the span of the data.
    const spec = mlpSpec(20, [16], 3);
    const calibration = gaussianInputs(spec, 12, 22);
    const net = await liveRandomNetwork(spec, 21, calibration);
    const { network, report } = await fuseKMeansLinear(permutedCopies(net, 3, 23), calibration, { seed: 1 });
    assert.equal(report.levels[0]!.ridgeForm, 'dual');
    const diff = maxAbsDiff(await logitsOf(network, calibration), await logitsOf(net, calibration));
    assert.ok(diff < 1e-3, `on calibration inputs: ${diff}`);
  });

  test('fusing a single parent returns the same function', async () => {
    const calibration = gaussianInputs(MLP, CALIBRATION_SAMPLES, 32);
    const net = await liveRandomNetwork(MLP, 31, calibration);
    const { network } = await fuse([net], calibration, { method: 'kf-linear' });
    const test = gaussianInputs(MLP, 32, 33);
    assert.ok(maxAbsDiff(await logitsOf(network, test), await logitsOf(net, test)) < 1e-3);
  });

  test('parents of different widths (one has duplicated neurons) fuse back into the function', async () => {
    const spec = mlpSpec(6, [10], 3);
    const calibration = gaussianInputs(spec, CALIBRATION_SAMPLES, 43);
    const net = await liveRandomNetwork(spec, 41, calibration);
    const wider = permuteHiddenUnits(withDuplicatedNeurons(net, 0, [2, 7]), [new SeededRandom(42).permutation(12)]);
    assert.deepEqual(layerWidths(wider.spec), [12, 3]);
    const test = gaussianInputs(spec, 32, 44);
    assert.ok(maxAbsDiff(await logitsOf(wider, test), await logitsOf(net, test)) < 1e-4, 'fixture: same function');
    for (const [parents, width] of [
      [[net, wider], 10],
      [[wider, net], 12], // the default target is the first parent's width: duplicates get split
    ] as const) {
      const { network } = await fuse(parents, calibration, { method: 'kf-linear', seed: 3 });
      assert.deepEqual(layerWidths(network.spec), [width, 3]);
      const diff = maxAbsDiff(await logitsOf(network, test), await logitsOf(net, test));
      assert.ok(diff < 1e-3, `width ${width}: ${diff}`);
    }
  });
});

describe('KF-linear target widths, importances, determinism', () => {
  test('the fused model has the requested widths, smaller or larger; growth by duplicates keeps the function', async () => {
    const calibration = gaussianInputs(MLP, CALIBRATION_SAMPLES, 52);
    const net = await liveRandomNetwork(MLP, 51, calibration);
    const parents = permutedCopies(net, 2, 53);
    const test = gaussianInputs(MLP, 32, 54);
    const expected = await logitsOf(net, test);
    for (const target of [
      [4, 3],
      [14, 12],
      [20, 16], // as many as the parents have together
    ]) {
      const { network, report } = await fuse(parents, calibration, { method: 'kf-linear', targetHiddenWidths: target });
      assert.deepEqual(layerWidths(network.spec), [...target, 3]);
      assert.deepEqual(network.layers.map((l) => l.kernelShape), [[6, target[0]], [target[0], target[1]], [target[1], 3]]);
      assert.deepEqual(report.hiddenWidths, target);
      const logits = await logitsOf(network, test);
      assert.ok(logits.every(Number.isFinite));
      if (target[0]! >= 10 && target[1]! >= 8) {
        // Every original neuron still has a cluster of its own; extra clusters split duplicates.
        assert.ok(maxAbsDiff(logits, expected) < 1e-3, `widths ${target.join('-')}`);
      }
    }
  });

  test('compression merges neurons: the fused model is close to, not equal to, the parents', async () => {
    const net = randomNetwork(MLP, 55);
    const calibration = gaussianInputs(MLP, CALIBRATION_SAMPLES, 56);
    const { network } = await fuse(permutedCopies(net, 2, 57), calibration, { method: 'kf-linear', targetHiddenWidths: [7, 6] });
    const test = gaussianInputs(MLP, 32, 58);
    const expected = await logitsOf(net, test);
    const diff = maxAbsDiff(await logitsOf(network, test), expected);
    assert.ok(diff > 1e-3, 'three fewer neurons cannot be exact');
    assert.ok(diff < maxAbs(expected), `but it is a fit, not noise: ${diff}`);
  });

  test('a neuron with overwhelming importance pulls its fused neuron onto itself', async () => {
    const spec = mlpSpec(5, [4], 2);
    const parent = randomNetwork(spec, 61);
    const calibration = gaussianInputs(spec, 40, 63);
    const scores = (heavy: number | null) => ({
      method: 'conductance' as const,
      samplesUsed: 40,
      layers: [Float32Array.from([1, 1, 1, 1], (v, i) => (i === heavy ? 1e9 : v)), new Float32Array([1, 1])],
    });
    // One fused hidden neuron for all four: its weights are their importance-weighted mean.
    // (Scores are normalised per parent, so each parent keeps an equal say: one parent here.)
    const heavy = await fuse([parent], calibration, { method: 'kf-linear', targetHiddenWidths: [1], importances: [scores(2)] });
    const fused = heavy.network.layers[0]!;
    const own = parent.layers[0]!;
    for (let r = 0; r < 5; r++) assert.ok(Math.abs(fused.kernel[r]! - own.kernel[r * 4 + 2]!) < 1e-4, `kernel row ${r}`);
    assert.ok(Math.abs(fused.bias![0]! - own.bias![2]!) < 1e-4);
    // With uniform scores the fused neuron is the plain mean of the four, not neuron 2.
    const plain = await fuse([parent], calibration, { method: 'kf-linear', targetHiddenWidths: [1], importances: [scores(null)] });
    for (let r = 0; r < 5; r++) {
      let mean = 0;
      for (let j = 0; j < 4; j++) mean += own.kernel[r * 4 + j]! / 4;
      assert.ok(Math.abs(plain.network.layers[0]!.kernel[r]! - mean) < 1e-4, `mean row ${r}`);
    }
  });

  test('server-side activation importance runs and differs from uniform on unequal neurons', async () => {
    const a = randomNetwork(MLP, 71);
    const b = randomNetwork(MLP, 72);
    const calibration = gaussianInputs(MLP, CALIBRATION_SAMPLES, 73);
    const uniform = await fuse([a, b], calibration, { method: 'kf-linear', seed: 5 });
    const activation = await fuse([a, b], calibration, { method: 'kf-linear', seed: 5, importance: 'activation' });
    assert.equal(activation.report.importance, 'activation');
    assert.ok(maxAbsDiff(uniform.network.layers[0]!.kernel, activation.network.layers[0]!.kernel) > 0);
  });

  test('is deterministic for a given seed', async () => {
    const a = randomNetwork(CNN, 81);
    const b = randomNetwork(CNN, 82);
    const calibration = gaussianInputs(CNN, 16, 83);
    const options = { method: 'kf-linear' as const, seed: 9, convRowBudget: 300 };
    const first = await fuse([a, b], calibration, options);
    const second = await fuse([a, b], calibration, options);
    first.network.layers.forEach((l, i) => assert.deepEqual(l.kernel, second.network.layers[i]!.kernel));
    assert.equal(first.report.levels[0]!.rows, 300, 'conv rows subsampled to the budget');
  });
});
