import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { layerWidths, mlpSpec, smallCnnSpec, type ModelSpec } from '../common/model/spec.ts';
import { computeAttribution, type AttributionMethod } from '../common/attribution/index.ts';
import { derangement, permuteNeurons, randomNetwork, randomSamples } from './attribution-fixtures.ts';

/**
 * Reordering a layer's neurons (its output columns and the next layer's inputs)
 * gives the same function, so every method must give the same scores in the
 * new order: score'[j] = score[perm[j]], and the other layers' scores unchanged.
 * This is what lets fusion match neurons by their scores.
 */
const METHODS: readonly AttributionMethod[] = ['conductance', 'grad-x-act', 'ablation', 'activation', 'uniform'];

const CASES: ReadonlyArray<{ name: string; spec: ModelSpec }> = [
  { name: 'MLP', spec: mlpSpec(10, [9, 7], 3) },
  { name: 'CNN', spec: smallCnnSpec([6, 6, 2], [4, 5], 3) },
];

describe('attribution scores follow a permutation of neurons', () => {
  before(async () => {
    await initBackend();
  });

  for (const { name, spec } of CASES) {
    for (const method of METHODS) {
      test(`${name}, ${method}`, async () => {
        const net = randomNetwork(spec, 61);
        const samples = randomSamples(spec, 6, 62);
        const original = await computeAttribution(net, samples, { method, ablationClosedForm: false });
        const hidden = layerWidths(spec).length - 1;
        for (let layer = 0; layer < hidden; layer++) {
          const perm = derangement(layerWidths(spec)[layer]!, 63 + layer);
          const permuted = await computeAttribution(permuteNeurons(net, layer, perm), samples, { method, ablationClosedForm: false });
          original.layers.forEach((scores, l) => {
            const scale = Math.max(...scores);
            scores.forEach((_, j) => {
              const expected = l === layer ? scores[perm[j]!]! : scores[j]!;
              const actual = permuted.layers[l]![j]!;
              assert.ok(Math.abs(actual - expected) <= 1e-4 * scale, `permuting layer ${layer}: layer ${l} neuron ${j} is ${actual}, expected ${expected}`);
            });
          });
        }
        if (method !== 'uniform') {
          // Not vacuous: the scores of the permuted layer are not all equal.
          assert.ok(new Set(original.layers[0]).size > 1, 'scores of layer 0 should differ between neurons');
        }
      });
    }
  }
});
