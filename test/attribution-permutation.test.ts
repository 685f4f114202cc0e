import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { layerWidths, mlpSpec, smallCnnSpec, type ModelSpec } from '../common/model/spec.ts';
import { computeAttribution, type AttributionOptions } from '../common/attribution/index.ts';
import { convFlattenDenseSpec, derangement, permuteNeurons, randomNetwork, randomSamples } from './attribution-fixtures.ts';

/**
 * Reordering a layer's neurons (its output columns and the next layer's inputs)
 * gives the same function, so every method must give the same scores in the
 * new order: score'[j] = score[perm[j]], and the other layers' scores unchanged.
 * This is what lets fusion match neurons by their scores.
 */
const SETTINGS: ReadonlyArray<{ label: string; options: AttributionOptions }> = [
  { label: 'conductance', options: { method: 'conductance' } },
  { label: 'grad-x-act', options: { method: 'grad-x-act' } },
  { label: 'ablation', options: { method: 'ablation' } },
  { label: 'ablation (masking)', options: { method: 'ablation', ablationStrategy: 'masking' } },
  { label: 'activation', options: { method: 'activation' } },
  { label: 'uniform', options: { method: 'uniform' } },
];

const CASES: ReadonlyArray<{ name: string; spec: ModelSpec }> = [
  { name: 'MLP', spec: mlpSpec(10, [9, 7], 3) },
  { name: 'CNN', spec: smallCnnSpec([6, 6, 2], [4, 5], 3) },
  { name: 'conv-flatten-dense', spec: convFlattenDenseSpec([5, 5, 2], 4, 6, 3) },
];

describe('attribution scores follow a permutation of neurons', () => {
  before(async () => {
    await initBackend();
  });

  for (const { name, spec } of CASES) {
    for (const { label, options } of SETTINGS) {
      test(`${name}, ${label}`, async () => {
        const net = randomNetwork(spec, 61);
        const samples = randomSamples(spec, 6, 62);
        const original = await computeAttribution(net, samples, options);
        const hidden = layerWidths(spec).length - 1;
        for (let layer = 0; layer < hidden; layer++) {
          const perm = derangement(layerWidths(spec)[layer]!, 63 + layer);
          const permuted = await computeAttribution(permuteNeurons(net, layer, perm), samples, options);
          original.layers.forEach((scores, l) => {
            const scale = Math.max(...scores);
            scores.forEach((_, j) => {
              const expected = l === layer ? scores[perm[j]!]! : scores[j]!;
              const actual = permuted.layers[l]![j]!;
              assert.ok(Math.abs(actual - expected) <= 1e-4 * scale, `permuting layer ${layer}: layer ${l} neuron ${j} is ${actual}, expected ${expected}`);
            });
          });
        }
        if (options.method !== 'uniform') {
          // Not vacuous: the scores of the permuted layer are not all equal.
          assert.ok(new Set(original.layers[0]).size > 1, 'scores of layer 0 should differ between neurons');
        }
      });
    }
  }
});
