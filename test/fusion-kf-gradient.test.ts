import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { isFedfuseError } from '../common/errors/index.ts';
import { loadEmbeddedMnist, subset } from '../common/data/index.ts';
import { initNetwork, mlpSpec, smallCnnSpec } from '../common/model/index.ts';
import { networkLogits } from '../common/model/network-logits.ts';
import { evaluateNetwork, trainNetwork } from '../common/training/index.ts';
import { FEDERATED_FUSION_SETTINGS, fuse } from '../server/fusion/index.ts';
import { gaussianInputs, maxAbsDiff, permuteHiddenUnits, randomNetwork, randomPermutations } from './fusion-fixtures.ts';
import { permutedCopy, randomGraphNetwork, randomInputs, residualBatchNormSpec } from './graph-model-fixtures.ts';
import { SeededRandom } from '../common/random/index.ts';

/**
 * KF-gradient: KF-linear's grouping, relu levels trained toward their
 * groups' post-relu targets, the head distilled; held-out early stopping
 * keeps each level at least as good as its least-squares start on held-out
 * calibration samples.
 */
describe('kf-gradient', () => {
  before(async () => {
    await initBackend();
  });

  test('two MNIST MLPs trained on different digits: every trained level ends at or below its start on held-out samples; linear levels are left to least squares', async () => {
    const mnist = loadEmbeddedMnist();
    const parents = [];
    for (let k = 0; k < 2; k++) {
      const data = subset(mnist, Array.from({ length: 300 }, (_, i) => 3000 + 300 * k + i));
      parents.push((await trainNetwork(initNetwork(mlpSpec(784, [16], 10), 1 + k), data, { epochs: 5, batchSize: 32, learningRate: 2e-3, optimizer: 'adam', seed: k })).network);
    }
    const calibration = subset(mnist, Array.from({ length: 150 }, (_, i) => 6000 + i));
    const { network, report } = await fuse(parents, calibration.images, { method: 'kf-gradient', gradient: { epochs: 40 } });
    assert.equal(report.method, 'kf-gradient');
    for (const level of report.levels) {
      assert.ok(level.gradient !== undefined, `level ${level.weightedLayer} (relu or head) is trained`);
      assert.ok(level.gradient.epochs >= 1);
      assert.ok(level.gradient.heldOutLoss <= level.gradient.startHeldOutLoss, `level ${level.weightedLayer}: ${level.gradient.startHeldOutLoss} -> ${level.gradient.heldOutLoss}`);
    }
    const test = subset(mnist, Array.from({ length: 300 }, (_, i) => 7000 + i));
    const accuracy = async (n: typeof network): Promise<number> => (await evaluateNetwork(n, test.images, test.labels, test.count)).accuracy;
    const weakest = Math.min(await accuracy(parents[0]!), await accuracy(parents[1]!));
    assert.ok((await accuracy(network)) >= weakest, `fused ${await accuracy(network)} vs the weaker parent ${weakest}`);

    // A residual block's summand is linear: nothing for a gradient to add, so it keeps its least-squares weights.
    const net = randomGraphNetwork(residualBatchNormSpec(3), 2);
    const graph = await fuse([net, randomGraphNetwork(residualBatchNormSpec(3), 3)], randomInputs(net.spec, 60, 4), { method: 'kf-gradient', gradient: { epochs: 5 } });
    const residual = graph.report.levels.find((l) => l.residualTargets === true)!;
    assert.equal(residual.gradient, undefined);
    assert.ok(graph.report.levels.find((l) => l.layerIndex === 3)!.gradient !== undefined, 'conv-BN followed by a relu layer trains through the relu');
  });

  test('permuted copies (MLP, CNN, residual BatchNorm model) still give back the function', async () => {
    const random = new SeededRandom(5);
    for (const spec of [mlpSpec(10, [8, 6], 3), smallCnnSpec([8, 8, 1], [3], 3)]) {
      const net = randomNetwork(spec, 6);
      const parents = [net, permuteHiddenUnits(net, randomPermutations(spec, random))];
      const { network } = await fuse(parents, gaussianInputs(spec, 120, 7), { method: 'kf-gradient', convRowBudget: 3000 });
      const x = gaussianInputs(spec, 20, 8);
      assert.ok(maxAbsDiff(await networkLogits(network, x, 20), await networkLogits(net, x, 20)) < 1e-3);
    }
    const net = randomGraphNetwork(residualBatchNormSpec(4), 9);
    const { network } = await fuse([net, permutedCopy(net, 10)], randomInputs(net.spec, 100, 11), { method: 'kf-gradient', convRowBudget: 3000 });
    const x = randomInputs(net.spec, 10, 12);
    assert.ok(maxAbsDiff(await networkLogits(network, x, 10), await networkLogits(net, x, 10)) < 1e-3);
  });

  test('with the federated settings and into other widths; no tensor leaks', async () => {
    const spec = smallCnnSpec([8, 8, 1], [4], 3);
    const parents = [randomNetwork(spec, 13), randomNetwork(spec, 14)];
    const calibration = gaussianInputs(spec, 30, 15);
    const options = { method: 'kf-gradient' as const, convRowBudget: 500, numExamples: [2, 1], targetHiddenWidths: [3], gradient: { epochs: 5 }, ...FEDERATED_FUSION_SETTINGS };
    await fuse(parents, calibration, options);
    const before = tf.memory().numTensors;
    const { report } = await fuse(parents, calibration, options);
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(report.hiddenWidths, [3]);
  });

  test('bad training settings are typed, one-line errors', async () => {
    const spec = mlpSpec(4, [3], 2);
    const parents = [randomNetwork(spec, 1), randomNetwork(spec, 2)];
    for (const gradient of [{ epochs: -1 }, { learningRate: 0 }, { heldOutFraction: 1 }, { patience: 0 }, { temperature: Number.NaN }]) {
      await assert.rejects(fuse(parents, gaussianInputs(spec, 10, 3), { method: 'kf-gradient', gradient }), (e: unknown) => isFedfuseError(e, 'invalid_argument') && /gradient\./.test(e.message), JSON.stringify(gradient));
    }
  });
});
