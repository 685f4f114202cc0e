import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { smallCnnSpec } from '../common/model/spec.ts';
import { activationImportance, ensembleProbabilities, FEDERATED_FUSION_SETTINGS, fuse, type FusionOptions } from '../server/fusion/index.ts';
import { gaussianInputs, randomNetwork } from './fusion-fixtures.ts';

// A CNN exercises every code path (im2col, row sampling, gathers, pooling, flatten).
const SPEC = smallCnnSpec([8, 8, 1], [4, 6], 3);
const PARENTS = [randomNetwork(SPEC, 1), randomNetwork(SPEC, 2)];
const CALIBRATION = gaussianInputs(SPEC, 12, 3);

before(async () => {
  await initBackend();
});

describe('fusion frees every tensor it creates', () => {
  const cases: [string, FusionOptions][] = [
    ['kf-linear', { method: 'kf-linear', convRowBudget: 200, importance: 'activation' }],
    ['hf', { method: 'hf', convRowBudget: 200 }],
    ['kf-linear, federated settings', { method: 'kf-linear', convRowBudget: 200, numExamples: [3, 1], ...FEDERATED_FUSION_SETTINGS }],
    ['hf, federated settings', { method: 'hf', convRowBudget: 200, numExamples: [3, 1], ...FEDERATED_FUSION_SETTINGS }],
    ['fedavg', { method: 'fedavg', numExamples: [3, 1] }],
    ['average', { method: 'average' }],
  ];
  for (const [name, options] of cases) {
    test(name, async () => {
      await fuse(PARENTS, CALIBRATION, options); // warm-up: backends allocate lazily
      const before = tf.memory().numTensors;
      await fuse(PARENTS, CALIBRATION, options);
      assert.equal(tf.memory().numTensors, before);
    });
  }

  test('ensemble and activation importance', async () => {
    await ensembleProbabilities(PARENTS, CALIBRATION);
    const before = tf.memory().numTensors;
    await ensembleProbabilities(PARENTS, CALIBRATION);
    await activationImportance(PARENTS[0]!, CALIBRATION, 12);
    assert.equal(tf.memory().numTensors, before);
  });
});
