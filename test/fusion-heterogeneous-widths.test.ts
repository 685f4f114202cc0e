import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { hiddenWidthsAtFraction } from '../common/model/width-fractions.ts';
import { layerWidths, mlpSpec, validateNetwork, withHiddenWidths, type ModelSpec, type Network } from '../common/model/index.ts';
import { networkLogits } from '../common/model/network-logits.ts';
import { FEDERATED_FUSION_SETTINGS, fuse, subNetwork } from '../server/fusion/index.ts';
import { randomGraphNetwork, randomInputs, residualBatchNormSpec } from './graph-model-fixtures.ts';
import { withDeadTail } from './width-fixtures.ts';

/**
 * KF-linear with parents of different widths, as a heterogeneous round has
 * them (a full-width update beside half- and quarter-width ones), into the
 * global width and down to a smaller one.
 */
async function maxLogitDifference(a: Network, b: Network, x: Float32Array, n: number): Promise<number> {
  const [la, lb] = [await networkLogits(a, x, n), await networkLogits(b, x, n)];
  return la.reduce((m, v, i) => Math.max(m, Math.abs(v - lb[i]!)), 0);
}

const MODELS: [string, ModelSpec][] = [
  ['MLP 12-16-12-3', mlpSpec(12, [16, 12], 3)],
  ['residual BatchNorm model', residualBatchNormSpec(6)],
];

describe('KF-linear across widths', () => {
  before(async () => {
    await initBackend('cpu');
  });

  for (const [name, spec] of MODELS) {
    test(`${name}: a model whose tail is dead, fused with its own half- and quarter-width sub-networks, gives the same function at the global width`, async () => {
      const global = withDeadTail(randomGraphNetwork(spec, 5), hiddenWidthsAtFraction(spec, 0.25));
      const parents = [global, subNetwork(global, hiddenWidthsAtFraction(spec, 0.5)), subNetwork(global, hiddenWidthsAtFraction(spec, 0.25))];
      const calibration = randomInputs(spec, 60, 6);
      const widths = layerWidths(spec).slice(0, -1);
      // Parent 0 first and last: the target width is given, not taken from the first parent.
      for (const order of [parents, [...parents].reverse()]) {
        const { network } = await fuse(order, calibration, { method: 'kf-linear', targetHiddenWidths: widths, ridge: { relativeLambda: 1e-10 }, convRowBudget: 4000 });
        assert.deepEqual(layerWidths(network.spec).slice(0, -1), widths);
        const x = randomInputs(spec, 16, 7);
        const diff = await maxLogitDifference(network, global, x, 16);
        assert.ok(diff < 1e-3, `max logit difference ${diff}`);
      }
    });
  }

  test('the federated settings fuse three widths into the global width and down to a quarter, valid and without tensor leaks', async () => {
    const spec = residualBatchNormSpec(8);
    const parents = [8, 4, 2].map((w, k) => randomGraphNetwork(withHiddenWidths(spec, [w, w, w]), 40 + k));
    const calibration = randomInputs(spec, 30, 9);
    const options = { method: 'kf-linear' as const, ...FEDERATED_FUSION_SETTINGS, numExamples: [3, 2, 1], targetHiddenWidths: [8, 8, 8], convRowBudget: 2000 };
    await fuse(parents, calibration, options);
    const before = tf.memory().numTensors;
    const { network } = await fuse(parents, calibration, options);
    assert.equal(tf.memory().numTensors, before);
    validateNetwork(network);
    const down = await fuse([network], calibration, { method: 'kf-linear', ...FEDERATED_FUSION_SETTINGS, numExamples: [1], targetHiddenWidths: hiddenWidthsAtFraction(spec, 0.25), convRowBudget: 2000 });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(layerWidths(down.network.spec).slice(0, -1), [2, 2, 2]);
    validateNetwork(down.network);
  });
});
