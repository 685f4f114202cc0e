import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { smallCnnSpec } from '../common/model/spec.ts';
import { DEFAULT_SCREENING_OPTIONS, screenUpdates } from '../server/screening/index.ts';
import { gaussianInputs, randomNetwork } from './fusion-fixtures.ts';
import type { Network } from '../common/model/network.ts';

// A CNN (conv, pooling, flatten) and more samples than one forward batch exercise every tensor path.
const SPEC = smallCnnSpec([8, 8, 1], [4, 6], 3);
const GLOBAL = randomNetwork(SPEC, 1);
const UPDATES = [2, 3, 4, 5, 6].map((seed) => randomNetwork(SPEC, seed));
const CALIBRATION = gaussianInputs(SPEC, 300, 7);

before(async () => {
  await initBackend();
});

/** NaN in the output bias: NaN logits whatever the input (the boundary refuses such weights; screening must not rely on that). */
function withNaNOutput(net: Network): Network {
  const layers = net.layers.map((l, i) => (i === net.layers.length - 1 ? { ...l, bias: new Float32Array(l.bias!.length).fill(Number.NaN) } : l));
  return { spec: net.spec, layers };
}

test('screening frees every tensor it creates, also when an update has infinite outputs', async () => {
  const updates = [...UPDATES, withNaNOutput(UPDATES[0]!)];
  const options = { ...DEFAULT_SCREENING_OPTIONS, samples: 300 };
  await screenUpdates(updates, GLOBAL, CALIBRATION, options); // warm-up: backends allocate lazily
  const before = tf.memory().numTensors;
  const report = await screenUpdates(updates, GLOBAL, CALIBRATION, options);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(report.samples, 300);
  assert.equal(report.updates.at(-1)!.rejection?.rule, 'non_finite_outputs');
});
