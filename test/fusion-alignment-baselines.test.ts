import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { channelSpaces } from '../common/model/channel-spaces.ts';
import { isFedfuseError } from '../common/errors/index.ts';
import { mlpSpec, smallCnnSpec, withHiddenWidths, type ModelSpec, type Network } from '../common/model/index.ts';
import { networkLogits } from '../common/model/network-logits.ts';
import { SeededRandom } from '../common/random/index.ts';
import { fuse, permuteChannelSpace, type FusionOptions } from '../server/fusion/index.ts';
import { everyLayerSpec, permuteSpace, permutedCopy, randomGraphNetwork, randomInputs, residualBatchNormSpec } from './graph-model-fixtures.ts';

/**
 * The alignment baselines of `fedfuse fuse` and the benchmark: OT fusion
 * (Singh & Jaggi 2020, activation-based) and weight matching (Git Re-Basin,
 * Ainsworth et al. 2023). Both permute each parent onto parent 0 and average.
 */

async function maxLogitDifference(a: Network, b: Network, x: Float32Array, n: number): Promise<number> {
  const [la, lb] = [await networkLogits(a, x, n), await networkLogits(b, x, n)];
  return la.reduce((m, v, i) => Math.max(m, Math.abs(v - lb[i]!)), 0);
}

function parameters(net: Network): number[] {
  return net.layers.flatMap((l) => [...l.kernel, ...(l.bias ?? [])]);
}

function distance(a: Network, b: Network): number {
  const [pa, pb] = [parameters(a), parameters(b)];
  return Math.sqrt(pa.reduce((s, v, i) => s + (v - pb[i]!) ** 2, 0));
}

const MODELS: [string, ModelSpec][] = [
  // Weight matching's coordinate descent can stop at a local optimum on tiny random models (1 of 9 permuted copies of a random 12-10-8-3 MLP); not at these widths.
  ['MLP 12-24-16-3', mlpSpec(12, [24, 16], 3)],
  ['CNN conv6-pool-conv5-pool-dense', smallCnnSpec([8, 8, 2], [6, 5], 3)],
  ['residual BatchNorm model (dropout, reshape)', residualBatchNormSpec(4)],
  ['every layer kind (depthwise, projection shortcut, both poolings, global pooling)', everyLayerSpec()],
];
const METHODS = ['ot-fusion', 'weight-matching'] as const;

describe('alignment baselines: OT fusion and weight matching', () => {
  before(async () => {
    await initBackend();
  });

  test('permuteChannelSpace re-orders a space as the independent test fixture does, and keeps the function', async () => {
    const net = randomGraphNetwork(everyLayerSpec(), 1);
    const spaces = channelSpaces(net.spec);
    const rng = new SeededRandom(2);
    spaces.spaces.forEach((space, s) => {
      if (space.pinned !== null) return;
      const perm = rng.permutation(space.width);
      const sourceOf = new Int32Array(space.width);
      perm.forEach((to, from) => (sourceOf[to] = from)); // the fixture sends channel c to perm[c]
      assert.deepEqual(permuteChannelSpace(net, s, sourceOf), permuteSpace(net, s, perm), `space ${s}`);
    });
    const x = randomInputs(net.spec, 6, 3);
    assert.ok((await maxLogitDifference(permuteChannelSpace(net, 1, Int32Array.from([3, 1, 0, 2])), net, x, 6)) < 1e-5);
  });

  for (const method of METHODS) {
    for (const [name, spec] of MODELS) {
      test(`${method}, ${name}: three permuted copies give the model back, parameter for parameter`, async () => {
        const net = randomGraphNetwork(spec, 4);
        const parents = [net, permutedCopy(net, 5), permutedCopy(net, 6)];
        const calibration = randomInputs(spec, 60, 7);
        const { network, report } = await fuse(parents, calibration, { method });
        assert.equal(report.method, method);
        assert.ok(report.alignment!.parents.slice(1).every((p) => p.movedChannels > 0), 'every copy had channels to move');
        const diff = parameters(network).reduce((m, v, i) => Math.max(m, Math.abs(v - parameters(net)[i]!)), 0);
        assert.ok(diff < 1e-6, `max parameter difference ${diff}`);
        assert.ok((await maxLogitDifference(network, net, randomInputs(spec, 10, 8), 10)) < 1e-4);
      });
    }
  }

  test('weight matching on independent models: the aligned parent is no farther from the reference than before, and computes the same function', async () => {
    const spec = residualBatchNormSpec(6);
    const [a, b] = [randomGraphNetwork(spec, 10), randomGraphNetwork(spec, 11)];
    // Fusing a with itself permuted-then-aligned vs. plain: the average of a and aligned b differs from the plain average.
    const matched = await fuse([a, b], new Float32Array(0), { method: 'weight-matching', seed: 1 });
    const plain = await fuse([a, b], new Float32Array(0), { method: 'average' });
    assert.notDeepEqual(parameters(matched.network), parameters(plain.network));
    // The aligned b is 2·mean − a: a permutation of b (same function), closer to a.
    const alignedB: Network = { spec, layers: matched.network.layers.map((l, i) => ({ ...l, kernel: Float32Array.from(l.kernel, (v, j) => 2 * v - a.layers[i]!.kernel[j]!), bias: l.bias === null ? null : Float32Array.from(l.bias, (v, j) => 2 * v - a.layers[i]!.bias![j]!) })) };
    assert.ok(distance(alignedB, a) < distance(b, a), `${distance(alignedB, a)} vs ${distance(b, a)}`);
    const x = randomInputs(spec, 8, 2);
    assert.ok((await maxLogitDifference(alignedB, b, x, 8)) < 1e-3, 'a permutation keeps the function');
  });

  test('OT fusion on independent models moves channels, and the fused model is not the plain average', async () => {
    const spec = mlpSpec(12, [16], 3);
    const [a, b] = [randomGraphNetwork(spec, 20), randomGraphNetwork(spec, 21)];
    const calibration = randomInputs(spec, 80, 3);
    const ot = await fuse([a, b], calibration, { method: 'ot-fusion' });
    const plain = await fuse([a, b], calibration, { method: 'average' });
    assert.ok(ot.report.alignment!.parents[1]!.movedChannels > 0);
    assert.notDeepEqual(parameters(ot.network), parameters(plain.network));
  });

  test('numExamples weigh the aligned mean', async () => {
    const net = randomGraphNetwork(mlpSpec(6, [5], 2), 1);
    const other = permutedCopy(randomGraphNetwork(mlpSpec(6, [5], 2), 2), 3);
    const heavy = await fuse([net, other], new Float32Array(0), { method: 'weight-matching', numExamples: [1, 0] });
    assert.deepEqual(parameters(heavy.network).map((v) => Math.fround(v)), parameters(net));
  });

  test('no tensor leaks', async () => {
    const net = randomGraphNetwork(residualBatchNormSpec(3), 1);
    const calibration = randomInputs(net.spec, 20, 2);
    await fuse([net, permutedCopy(net, 2)], calibration, { method: 'ot-fusion' }); // warm up the backend's own state
    const before = tf.memory().numTensors;
    for (const method of METHODS) await fuse([net, permutedCopy(net, 2)], calibration, { method });
    assert.equal(tf.memory().numTensors, before);
  });

  const refusals: [string, () => [Network[], Float32Array, FusionOptions], RegExp][] = [
    ['different widths', () => [[randomGraphNetwork(mlpSpec(6, [5], 2), 1), randomGraphNetwork(withHiddenWidths(mlpSpec(6, [5], 2), [4]), 2)], randomInputs(mlpSpec(6, [5], 2), 4, 1), { method: 'weight-matching' }], /equal widths|same width|widths/],
    ['other target widths', () => [[randomGraphNetwork(mlpSpec(6, [5], 2), 1), randomGraphNetwork(mlpSpec(6, [5], 2), 2)], new Float32Array(0), { method: 'weight-matching', targetHiddenWidths: [3] }], /keeps the parents' widths/],
    ['OT fusion without calibration inputs', () => [[randomGraphNetwork(mlpSpec(6, [5], 2), 1), randomGraphNetwork(mlpSpec(6, [5], 2), 2)], new Float32Array(0), { method: 'ot-fusion' }], /calibration/],
    ['numExamples of the wrong length', () => [[randomGraphNetwork(mlpSpec(6, [5], 2), 1), randomGraphNetwork(mlpSpec(6, [5], 2), 2)], new Float32Array(0), { method: 'weight-matching', numExamples: [1] }], /numExamples has 1 entries for 2 parents/],
  ];
  for (const [name, make, message] of refusals) {
    test(`refused with one typed line: ${name}`, async () => {
      const [parents, calibration, options] = make();
      await assert.rejects(fuse(parents, calibration, options), (e: unknown) => isFedfuseError(e) && message.test(e.message) && !e.message.includes('\n'));
    });
  }
});
