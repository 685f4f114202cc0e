import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { layerWidths, mlpSpec, smallCnnSpec, type ModelSpec } from '../common/model/spec.ts';
import { SeededRandom } from '../common/random/index.ts';
import { fuse, fuseHungarian } from '../server/fusion/index.ts';
import { gaussianInputs, liveRandomNetwork, logitsOf, maxAbs, maxAbsDiff, permuteHiddenUnits, randomNetwork, randomPermutations } from './fusion-fixtures.ts';

const MLP: ModelSpec = mlpSpec(6, [10, 8], 3);
const CNN: ModelSpec = smallCnnSpec([8, 8, 1], [4, 6], 3);

before(async () => {
  await initBackend();
});

describe('HF (Hungarian fusion)', () => {
  for (const [name, spec] of [
    ['MLP 6-10-8-3', MLP],
    ['CNN 8x8x1 conv4-pool-conv6-pool-dense3', CNN],
  ] as const) {
    test(`recovers the function from two permuted copies: ${name}`, async () => {
      const calibration = gaussianInputs(spec, 64, 2);
      const net = await liveRandomNetwork(spec, 1, calibration);
      const permuted = permuteHiddenUnits(net, randomPermutations(spec, new SeededRandom(3)));
      const { network, report } = await fuse([net, permuted], calibration, { method: 'hf', seed: 4 });
      const test = gaussianInputs(spec, 32, 5);
      const expected = await logitsOf(net, test);
      const diff = maxAbsDiff(await logitsOf(network, test), expected);
      assert.ok(diff < 1e-3, `max |Δ logits| = ${diff} (logits up to ${maxAbs(expected)})`);
      assert.deepEqual(layerWidths(network.spec), layerWidths(spec));
      for (const level of report.levels.slice(0, -1)) {
        assert.equal(level.grouping, 'hungarian');
        assert.ok(level.assignmentCost !== undefined && level.assignmentCost >= 0);
      }
    });
  }

  test('does not depend on the order of the second parent\'s neurons (the pairing is found, not assumed)', async () => {
    const spec = mlpSpec(6, [12], 3);
    const calibration = gaussianInputs(spec, 64, 11);
    const a = randomNetwork(spec, 12);
    const b = randomNetwork(spec, 13);
    const bPermuted = permuteHiddenUnits(b, [new SeededRandom(14).permutation(12)]);
    const first = await fuseHungarian([a, b], calibration, { seed: 1 });
    const second = await fuseHungarian([a, bPermuted], calibration, { seed: 1 });
    const cost = first.report.levels[0]!.assignmentCost!;
    assert.ok(Math.abs(second.report.levels[0]!.assignmentCost! - cost) < 1e-6 * cost);
    const test = gaussianInputs(spec, 32, 15);
    assert.ok(maxAbsDiff(await logitsOf(first.network, test), await logitsOf(second.network, test)) < 1e-4);
    // Plain averaging assumes the identity pairing, so it does depend on the order.
    const avg1 = await fuse([a, b], calibration, { method: 'average' });
    const avg2 = await fuse([a, bPermuted], calibration, { method: 'average' });
    assert.ok(maxAbsDiff(await logitsOf(avg1.network, test), await logitsOf(avg2.network, test)) > 1e-2);
  });

  test('needs exactly two parents of equal widths and keeps them', async () => {
    const net = randomNetwork(MLP, 21);
    const calibration = gaussianInputs(MLP, 16, 22);
    await assert.rejects(fuse([net, net, net], calibration, { method: 'hf' }), { code: 'invalid_argument' });
    await assert.rejects(fuse([net], calibration, { method: 'hf' }), { code: 'invalid_argument' });
    const narrower = randomNetwork(mlpSpec(6, [9, 8], 3), 23);
    await assert.rejects(fuse([net, narrower], calibration, { method: 'hf' }), { code: 'shape_mismatch' });
    await assert.rejects(fuse([net, net], calibration, { method: 'hf', targetHiddenWidths: [5, 8] }), { code: 'invalid_argument' });
  });
});
