import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { mlpSpec, smallCnnSpec } from '../common/model/spec.ts';
import type { Network } from '../common/model/network.ts';
import { ablationScores, gradientTimesActivationScores, perSampleAttribution, type LabelledSamples } from '../common/attribution/index.ts';
import { convFlattenDenseSpec, randomNetwork, randomSamples } from './attribution-fixtures.ts';

/**
 * 2 -> 2 (relu) -> 2 (relu) -> 2 (linear), kernels [in, out] row-major:
 *   W1 = [[1, -1], [1, 1]], b1 = [0, 0]
 *   W2 = [[1, 2], [-1, 1]], b2 = [0, -5]
 *   W3 = [[1, 0], [3, 1]],  b3 = [0.5, 0]
 */
const handNet: Network = {
  spec: mlpSpec(2, [2, 2], 2),
  layers: [
    { kernel: new Float32Array([1, -1, 1, 1]), kernelShape: [2, 2], bias: new Float32Array([0, 0]) },
    { kernel: new Float32Array([1, 2, -1, 1]), kernelShape: [2, 2], bias: new Float32Array([0, -5]) },
    { kernel: new Float32Array([1, 0, 3, 1]), kernelShape: [2, 2], bias: new Float32Array([0.5, 0]) },
  ],
};

/**
 * Sample A: x = [1, 2], label 0. h1 = [3, 1], h2 = relu([2, 7 - 5]) = [2, 2], logits [8.5, 2], F = 8.5.
 *   zero h1[0]: h1 = [0, 1] -> h2 = relu([-1, -4]) = 0 -> F = 0.5, change 8
 *   zero h1[1]: h1 = [3, 0] -> h2 = relu([3, 1]) -> F = 3 + 3 + 0.5 = 6.5, change 2
 *   zero h2[0]: F = 6 + 0.5, change 2;  zero h2[1]: F = 2 + 0.5, change 6
 *   zero logit 0: change 8.5; zero logit 1: change 0
 *   grad: dF/dh2 = W3[:, 0] = [1, 3], both ReLUs of layer 2 on, dF/dh1 = W2 [1, 3] = [7, 2]
 *   grad x act: layer 1 [21, 2], layer 2 [2, 6], layer 3 [8.5, 0]
 * Sample B: x = [1, 3], label 1. h1 = [4, 2], h2 = relu([2, 5]) = [2, 5], logits [17.5, 5], F = 5.
 *   zero h1[0]: h1 = [0, 2] -> h2 = relu([-2, -3]) = 0 -> F = 0, change 5
 *   zero h1[1]: h1 = [4, 0] -> h2 = relu([4, 3]) -> F = 3, change 2
 *   zero h2[0]: change 0;  zero h2[1]: change 5;  zero logit 0: 0; zero logit 1: 5
 *   grad: dF/dh2 = W3[:, 1] = [0, 1], dF/dh1 = W2 [0, 1] = [2, 1]
 *   grad x act: layer 1 [8, 2], layer 2 [0, 5], layer 3 [0, 5]
 */
const handSamples: LabelledSamples = { images: new Float32Array([1, 2, 1, 3]), labels: new Int32Array([0, 1]), count: 2 };

function assertClose(actual: Float32Array, expected: readonly number[], what: string, tolerance = 1e-5): void {
  assert.equal(actual.length, expected.length, what);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tolerance * Math.max(1, Math.abs(e)), `${what}[${i}]: ${actual[i]} != ${e}`));
}

describe('ablation', () => {
  before(async () => {
    await initBackend();
  });

  test('hand-built network: mean |change| per neuron equals the values worked out by hand', async () => {
    const scores = await ablationScores(handNet, handSamples);
    assertClose(scores[0]!, [(8 + 5) / 2, (2 + 2) / 2], 'layer 1');
    assertClose(scores[1]!, [(2 + 0) / 2, (6 + 5) / 2], 'layer 2');
    assertClose(scores[2]!, [8.5 / 2, 5 / 2], 'layer 3');
  });

  test('hand-built network: forced masking everywhere gives the same values', async () => {
    const scores = await ablationScores(handNet, handSamples, { ablationStrategy: 'masking', batchSize: 1 });
    assertClose(scores[0]!, [6.5, 2], 'layer 1');
    assertClose(scores[1]!, [1, 5.5], 'layer 2');
    assertClose(scores[2]!, [4.25, 2.5], 'layer 3');
  });

  test('hand-built network: gradient x activation equals the values worked out by hand', async () => {
    const scores = await gradientTimesActivationScores(handNet, handSamples);
    assertClose(scores[0]!, [(21 + 8) / 2, (2 + 2) / 2], 'layer 1');
    assertClose(scores[1]!, [(2 + 0) / 2, (6 + 5) / 2], 'layer 2');
    assertClose(scores[2]!, [8.5 / 2, 5 / 2], 'layer 3');
  });

  test('the fast paths (closed form, next-layer update) agree with plain masking per sample', async () => {
    // MLP: next-layer update for layers 0 and 1, closed form for 2 (and the output).
    // conv-flatten-dense: next-layer update through a flatten (many positions per channel).
    // CNN: masking only under both strategies (pooling follows every conv) — a control.
    const cases = [
      { spec: mlpSpec(10, [12, 7, 5], 3), seed: 31 },
      { spec: convFlattenDenseSpec([5, 5, 2], 4, 6, 3), seed: 36 },
      { spec: smallCnnSpec([6, 6, 2], [3], 4), seed: 41 },
    ];
    for (const { spec, seed } of cases) {
      const net = randomNetwork(spec, seed);
      const samples = randomSamples(spec, 5, seed + 1);
      const fastest = await perSampleAttribution(net, samples, { method: 'ablation' });
      const masked = await perSampleAttribution(net, samples, { method: 'ablation', ablationStrategy: 'masking' });
      fastest.forEach((rows, l) => {
        let scale = 0;
        rows.forEach((v) => (scale = Math.max(scale, Math.abs(v))));
        assert.ok(scale > 0, `layer ${l} of the fixture should matter`);
        rows.forEach((v, k) => assert.ok(Math.abs(v - masked[l]![k]!) <= 1e-4 * scale, `layer ${l} value ${k}: fastest ${v}, masking ${masked[l]![k]}`));
      });
    }
  });

  test('the result does not depend on how samples are chunked', async () => {
    const spec = mlpSpec(10, [12, 6], 3);
    const net = randomNetwork(spec, 51);
    const samples = randomSamples(spec, 7, 52);
    const whole = await ablationScores(net, samples);
    const chunked = await ablationScores(net, samples, { batchSize: 2 });
    whole.forEach((scores, l) => scores.forEach((v, j) => assert.ok(Math.abs(v - chunked[l]![j]!) <= 1e-5 * Math.max(1, Math.abs(v)), `layer ${l} neuron ${j}`)));
  });
});
