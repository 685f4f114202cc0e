import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import { layerWidths, mlpSpec, smallCnnSpec, type ModelSpec } from '../common/model/spec.ts';
import {
  ATTRIBUTION_METHODS,
  computeAttribution,
  conductanceScores,
  validateAttributionSummary,
  type LabelledSamples,
} from '../common/attribution/index.ts';
import { randomNetwork, randomSamples } from './attribution-fixtures.ts';

const CASES: ReadonlyArray<{ name: string; spec: ModelSpec }> = [
  { name: 'MLP', spec: mlpSpec(10, [8, 6], 4) },
  { name: 'CNN', spec: smallCnnSpec([6, 6, 1], [3, 4], 4) },
];

describe('computeAttribution', () => {
  before(async () => {
    await initBackend();
  });

  for (const { name, spec } of CASES) {
    for (const method of ATTRIBUTION_METHODS) {
      test(`${name}, ${method}: a valid summary of the right shape, with no tensor left behind`, async () => {
        const net = randomNetwork(spec, 91);
        const samples = randomSamples(spec, 9, 92);
        const before = tf.memory().numTensors;
        // batchSize 4 makes three chunks, the last one partial.
        const summary = await computeAttribution(net, samples, { method, batchSize: 4 });
        assert.equal(tf.memory().numTensors, before, 'tensors leaked');
        validateAttributionSummary(summary, spec);
        assert.equal(summary.method, method);
        assert.equal(summary.samplesUsed, method === 'uniform' ? 0 : 9);
        assert.deepEqual(summary.layers.map((l) => l.length), layerWidths(spec));
      });
    }
  }

  test('maxSamples uses exactly the first samples', async () => {
    const spec = CASES[0]!.spec;
    const net = randomNetwork(spec, 101);
    const samples = randomSamples(spec, 8, 102);
    // Make the samples past the third very different, so using them would show.
    samples.images.fill(50, 3 * 10);
    const firstThree: LabelledSamples = { images: samples.images.slice(0, 30), labels: samples.labels.slice(0, 3), count: 3 };
    const limited = await computeAttribution(net, samples, { method: 'conductance', maxSamples: 3 });
    const reference = await computeAttribution(net, firstThree, { method: 'conductance' });
    const all = await computeAttribution(net, samples, { method: 'conductance' });
    assert.equal(limited.samplesUsed, 3);
    assert.deepEqual(limited.layers, reference.layers);
    assert.notDeepEqual(all.layers, reference.layers);
  });

  test('conductance defaults to 10 steps', async () => {
    const spec = CASES[0]!.spec;
    const net = randomNetwork(spec, 111);
    const samples = randomSamples(spec, 5, 112);
    const byDefault = await conductanceScores(net, samples);
    assert.deepEqual(byDefault, await conductanceScores(net, samples, { steps: 10 }));
    assert.notDeepEqual(byDefault[0], (await conductanceScores(net, samples, { steps: 3 }))[0]);
  });

  test('activation needs no labels: unlabelled samples (-1) give the same scores', async () => {
    const spec = CASES[1]!.spec;
    const net = randomNetwork(spec, 131);
    const samples = randomSamples(spec, 5, 132);
    const labelled = await computeAttribution(net, samples, { method: 'activation' });
    const unlabelled = await computeAttribution(net, { ...samples, labels: new Int32Array(5).fill(-1) }, { method: 'activation' });
    validateAttributionSummary(unlabelled, spec);
    assert.deepEqual(unlabelled.layers, labelled.layers);
  });

  test('bad input is refused with a typed error and leaks nothing', async () => {
    const spec = CASES[0]!.spec;
    const net = randomNetwork(spec, 121);
    const samples = randomSamples(spec, 4, 122);
    const before = tf.memory().numTensors;
    const cases: ReadonlyArray<[string, () => Promise<unknown>, ErrorCode]> = [
      ['label out of range', () => computeAttribution(net, { ...samples, labels: Int32Array.from([0, 1, 4, 0]) }, { method: 'grad-x-act' }), 'invalid_argument'],
      ['unlabelled sample', () => computeAttribution(net, { ...samples, labels: Int32Array.from([0, -1, 2, 0]) }, { method: 'ablation' }), 'invalid_argument'],
      ['images too short', () => computeAttribution(net, { ...samples, images: samples.images.subarray(0, 39) }, { method: 'conductance' }), 'shape_mismatch'],
      ['images too long (another input shape)', () => computeAttribution(net, { ...samples, count: 3 }, { method: 'conductance' }), 'shape_mismatch'],
      ['no samples', () => computeAttribution(net, { ...samples, count: 0 }, { method: 'conductance' }), 'invalid_argument'],
      ['NaN pixel', () => computeAttribution(net, { ...samples, images: samples.images.map((v, i) => (i === 7 ? NaN : v)) }, { method: 'activation' }), 'non_finite'],
      ['zero steps', () => computeAttribution(net, samples, { method: 'conductance', steps: 0 }), 'invalid_argument'],
      ['fractional batch size', () => computeAttribution(net, samples, { method: 'conductance', batchSize: 1.5 }), 'invalid_argument'],
      ['zero maxSamples', () => computeAttribution(net, samples, { method: 'conductance', maxSamples: 0 }), 'invalid_argument'],
    ];
    for (const [what, run, code] of cases) {
      await assert.rejects(run, (e: unknown) => isFedfuseError(e, code), what);
    }
    // A model whose weights do not fit its spec is refused before any work.
    const mismatched = { spec: mlpSpec(10, [7, 6], 4), layers: net.layers };
    await assert.rejects(computeAttribution(mismatched, samples, { method: 'grad-x-act' }), (e: unknown) => isFedfuseError(e, 'shape_mismatch'));
    assert.equal(tf.memory().numTensors, before);
  });
});
