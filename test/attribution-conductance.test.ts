import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { mlpSpec, smallCnnSpec, layerWidths, type ModelSpec } from '../common/model/spec.ts';
import type { Network } from '../common/model/network.ts';
import { perSampleAttribution, type LabelledSamples } from '../common/attribution/index.ts';
import { randomNetwork, randomSamples, targetLogits } from './attribution-fixtures.ts';

/**
 * Completeness: for every sample, the signed conductances of all neurons of a
 * layer add up to F(x) − F(0), F being the true class's logit computed here by
 * the model's own forward pass. The first hidden layers are followed by ReLUs
 * (and max-pooling in the CNN), so this only holds if the path integral is
 * computed right, not by construction.
 */
async function completenessErrors(net: Network, samples: LabelledSamples, steps: number): Promise<{ worstRelative: number; worstAbsolute: number; meanDelta: number }> {
  const perSample = await perSampleAttribution(net, samples, { method: 'conductance', steps, batchSize: 3 });
  const { atInput, atZero } = await targetLogits(net, samples);
  const widths = layerWidths(net.spec);
  let meanDelta = 0;
  for (let i = 0; i < samples.count; i++) meanDelta += Math.abs(atInput[i]! - atZero[i]!) / samples.count;
  let worstRelative = 0;
  let worstAbsolute = 0;
  perSample.forEach((rows, l) => {
    const width = widths[l]!;
    for (let i = 0; i < samples.count; i++) {
      let total = 0;
      for (let j = 0; j < width; j++) total += rows[i * width + j]!;
      const delta = atInput[i]! - atZero[i]!;
      const error = Math.abs(total - delta);
      worstAbsolute = Math.max(worstAbsolute, error);
      // Relative error only where the difference is not close to zero (else any rounding is "large").
      if (Math.abs(delta) > 0.1 * meanDelta) worstRelative = Math.max(worstRelative, error / Math.abs(delta));
    }
  });
  return { worstRelative, worstAbsolute, meanDelta };
}

function assertComplete(errors: { worstRelative: number; worstAbsolute: number; meanDelta: number }): void {
  assert.ok(errors.meanDelta > 0.1, `the fixture should move the target logit, mean |F(x) - F(0)| = ${errors.meanDelta}`);
  assert.ok(errors.worstRelative <= 0.02, `worst relative completeness error ${errors.worstRelative}`);
  assert.ok(errors.worstAbsolute <= 0.02 * errors.meanDelta, `worst absolute completeness error ${errors.worstAbsolute} vs mean |delta| ${errors.meanDelta}`);
}

describe('conductance completeness', () => {
  before(async () => {
    await initBackend();
  });

  test('MLP with two ReLU hidden layers: every layer sums to F(x) - F(0) within 2% at 50 steps', async () => {
    const spec = mlpSpec(12, [16, 8], 4);
    const net = randomNetwork(spec, 11);
    assertComplete(await completenessErrors(net, randomSamples(spec, 10, 12), 50));
  });

  test('CNN (conv, pool, conv, pool, dense): every layer sums to F(x) - F(0) within 2% at 50 steps', async () => {
    const spec: ModelSpec = smallCnnSpec([8, 8, 2], [4, 3], 3);
    const net = randomNetwork(spec, 21);
    assertComplete(await completenessErrors(net, randomSamples(spec, 6, 22), 50));
  });

  test('one step is a cruder approximation than fifty on the first hidden layer', async () => {
    // Guards the test above against passing by construction: with a single step
    // the gradient at x stands for the whole path and the ReLUs make it wrong.
    const spec = mlpSpec(12, [16, 8], 4);
    const net = randomNetwork(spec, 11);
    const samples = randomSamples(spec, 10, 12);
    const coarse = await completenessErrors(net, samples, 1);
    const fine = await completenessErrors(net, samples, 50);
    assert.ok(coarse.worstAbsolute > 2 * fine.worstAbsolute, `1 step error ${coarse.worstAbsolute}, 50 steps error ${fine.worstAbsolute}`);
  });
});
