import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { layerWidths } from '../common/model/spec.ts';
import { computeAttribution, perSampleAttribution } from '../common/attribution/index.ts';
import { randomSamples, targetLogits } from './attribution-fixtures.ts';
import { everyLayerSpec, randomGraphNetwork, residualBatchNormSpec } from './graph-model-fixtures.ts';

/**
 * Attribution through layer graphs: the gradients come from one probed
 * forward/backward pass instead of the chain's block-by-block pass, and the
 * head after a layer includes the branches that skip it. Completeness (a
 * layer's conductances sum to F(x) − F(0)) holds for the layers every path
 * from input to output goes through (not for a branch the shortcut skips),
 * and only if every path through the residual addition is credited.
 */
describe('attribution through a layer graph', () => {
  before(async () => {
    await initBackend();
  });

  const cases = [
    ['residual block with BatchNorm', residualBatchNormSpec(), [0, 3]],
    ['every layer kind', everyLayerSpec(), [0, 3, 4]],
  ] as const;
  for (const [name, spec, cuts] of cases) {
    test(`${name}: the conductances of each layer all paths go through sum to F(x) - F(0) within 5% at 300 steps`, async () => {
      const net = randomGraphNetwork(spec, 11);
      const samples = randomSamples(spec, 6, 12);
      const perSample = await perSampleAttribution(net, samples, { method: 'conductance', steps: 300, batchSize: 3 });
      const { atInput, atZero } = await targetLogits(net, samples);
      const widths = layerWidths(spec);
      let meanDelta = 0;
      for (let i = 0; i < samples.count; i++) meanDelta += Math.abs(atInput[i]! - atZero[i]!) / samples.count;
      assert.ok(meanDelta > 0.05, `the fixture must move the target logit (${meanDelta})`);
      perSample.forEach((rows, l) => {
        if (!(cuts as readonly number[]).includes(l)) return;
        for (let i = 0; i < samples.count; i++) {
          let total = 0;
          for (let j = 0; j < widths[l]!; j++) total += rows[i * widths[l]! + j]!;
          const delta = atInput[i]! - atZero[i]!;
          assert.ok(Math.abs(total - delta) <= 0.05 * Math.max(Math.abs(delta), meanDelta), `layer ${l} sample ${i}: ${total} vs ${delta}`);
        }
      });
    });
  }

  test('ablation: the fastest paths agree with masking everywhere', async () => {
    const net = randomGraphNetwork(everyLayerSpec(), 13);
    const samples = randomSamples(net.spec, 5, 14);
    const fastest = await perSampleAttribution(net, samples, { method: 'ablation', ablationStrategy: 'fastest' });
    const masking = await perSampleAttribution(net, samples, { method: 'ablation', ablationStrategy: 'masking' });
    fastest.forEach((rows, l) => rows.forEach((v, i) => assert.ok(Math.abs(v - masking[l]![i]!) < 1e-4, `layer ${l} value ${i}: ${v} vs ${masking[l]![i]}`)));
  });

  test('every method gives a valid summary of one score per neuron, without leaking tensors', async () => {
    const net = randomGraphNetwork(residualBatchNormSpec(), 15);
    const samples = randomSamples(net.spec, 4, 16);
    const before = tf.memory().numTensors;
    for (const method of ['conductance', 'grad-x-act', 'ablation', 'activation'] as const) {
      const summary = await computeAttribution(net, samples, { method, steps: 4 });
      assert.deepEqual(summary.layers.map((l) => l.length), layerWidths(net.spec));
    }
    assert.equal(tf.memory().numTensors, before);
  });
});
