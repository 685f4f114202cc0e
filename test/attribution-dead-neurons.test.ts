import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { mlpSpec, smallCnnSpec, type ModelSpec } from '../common/model/spec.ts';
import type { Network } from '../common/model/network.ts';
import {
  activationScores,
  computeAttribution,
  DEAD_LAYER_SCORE,
  meanAbsoluteAttribution,
  validateAttributionSummary,
  type AblationStrategy,
  type DataAttributionMethod,
} from '../common/attribution/index.ts';
import { convFlattenDenseSpec, randomNetwork, randomSamples } from './attribution-fixtures.ts';

/** Sets to zero every weight that reads input channel/unit `neuron` of the next weighted layer (`nextLayer`), whose input has `width` channels. */
function cutOutgoingWeights(net: Network, nextLayer: number, width: number, neuron: number): Network {
  const layers = net.layers.map((lw, l) => {
    if (l !== nextLayer) return lw;
    const kernel = lw.kernel.slice();
    const outWidth = lw.kernelShape[lw.kernelShape.length - 1]!;
    const inputs = kernel.length / outWidth;
    for (let input = 0; input < inputs; input++) {
      if (input % width === neuron) kernel.fill(0, input * outWidth, (input + 1) * outWidth);
    }
    return { ...lw, kernel };
  });
  return { spec: net.spec, layers };
}

const CASES: ReadonlyArray<{ name: string; spec: ModelSpec; widths: readonly number[] }> = [
  { name: 'MLP', spec: mlpSpec(8, [6, 5, 4], 3), widths: [6, 5] },
  { name: 'CNN', spec: smallCnnSpec([6, 6, 2], [4, 3], 3), widths: [4, 3] },
  { name: 'conv-flatten-dense', spec: convFlattenDenseSpec([5, 5, 2], 4, 5, 3), widths: [4, 5] },
];

const SETTINGS: ReadonlyArray<{ method: DataAttributionMethod; ablationStrategy?: AblationStrategy }> = [
  { method: 'conductance' },
  { method: 'grad-x-act' },
  { method: 'ablation' },
  { method: 'ablation', ablationStrategy: 'masking' },
];

describe('neurons nobody reads get zero attribution', () => {
  before(async () => {
    await initBackend();
  });

  for (const { name, spec, widths } of CASES) {
    test(`${name}: a neuron with all-zero outgoing weights scores exactly 0 in conductance, grad-x-act and ablation`, async () => {
      const samples = randomSamples(spec, 5, 72);
      let net = randomNetwork(spec, 71);
      // Cut the most active neuron of each of the first two hidden layers.
      const before = await activationScores(net, samples);
      const cut = [0, 1].map((layer) => {
        const scores = [...before[layer]!];
        return scores.indexOf(Math.max(...scores));
      });
      cut.forEach((neuron, layer) => (net = cutOutgoingWeights(net, layer + 1, widths[layer]!, neuron)));
      // The cut neurons still fire, so a zero score is not just a dead ReLU.
      const activity = await activationScores(net, samples);
      cut.forEach((neuron, layer) => assert.ok(activity[layer]![neuron]! > 0, `layer ${layer} neuron ${neuron} should be active`));
      for (const settings of SETTINGS) {
        const scores = await meanAbsoluteAttribution(net, samples, settings);
        const what = `${settings.method}${settings.ablationStrategy === 'masking' ? ' (masking)' : ''}`;
        cut.forEach((neuron, layer) => {
          assert.equal(scores[layer]![neuron], 0, `${what}: layer ${layer} neuron ${neuron}`);
          assert.ok(scores[layer]!.some((v) => v > 0), `${what}: other neurons of layer ${layer} should matter`);
        });
      }
    });
  }

  test('a layer that is dead on every sample falls back to uniform DEAD_LAYER_SCORE and the summary stays valid', async () => {
    const spec = mlpSpec(8, [6, 5], 3);
    const alive = randomNetwork(spec, 81);
    // Biases of -1000 switch every ReLU of the first hidden layer off for inputs in [0, 1).
    const net: Network = { spec, layers: alive.layers.map((lw, l) => (l === 0 ? { ...lw, bias: new Float32Array(6).fill(-1000) } : lw)) };
    const samples = randomSamples(spec, 4, 82);
    const raw = await meanAbsoluteAttribution(net, samples, { method: 'grad-x-act' });
    assert.ok(raw[0]!.every((v) => v === 0), 'the raw scores of the dead layer are zero');
    const summary = await computeAttribution(net, samples, { method: 'grad-x-act' });
    validateAttributionSummary(summary, spec);
    assert.deepEqual([...summary.layers[0]!], new Array(6).fill(Math.fround(DEAD_LAYER_SCORE)));
    // Layers that are alive keep their raw scores.
    assert.deepEqual([...summary.layers[1]!], [...raw[1]!]);
    // With the first layer dead F does not depend on x: conductance is F(x) - F(0) = 0 everywhere, every layer falls back.
    const conductance = await computeAttribution(net, samples, { method: 'conductance' });
    validateAttributionSummary(conductance, spec);
    conductance.layers.forEach((scores) => assert.ok(scores.every((v) => v === Math.fround(DEAD_LAYER_SCORE))));
  });
});
