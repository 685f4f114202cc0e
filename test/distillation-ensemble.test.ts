import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { networkLogits } from '../common/model/network-logits.ts';
import { mlpSpec, smallCnnSpec } from '../common/model/spec.ts';
import { distillEnsemble } from '../server/distillation/index.ts';
import { weightedParameterSum } from '../server/fusion/index.ts';
import { gaussianInputs, randomNetwork } from './fusion-fixtures.ts';

before(async () => {
  await initBackend();
});

/** Mean over samples of KL(softmax(mean teacher logits) ‖ softmax(student logits)), computed independently of the code under test. */
async function klToEnsemble(student: Parameters<typeof networkLogits>[0], teachers: Parameters<typeof networkLogits>[0][], inputs: Float32Array, n: number): Promise<number> {
  const s = await networkLogits(student, inputs, n);
  const ts = await Promise.all(teachers.map((t) => networkLogits(t, inputs, n)));
  const classes = s.length / n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const mean = Array.from({ length: classes }, (_, c) => ts.reduce((a, t) => a + t[i * classes + c]!, 0) / ts.length);
    const logSoftmax = (z: number[]): number[] => {
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
      return z.map((v) => v - lse);
    };
    const lp = logSoftmax(mean);
    const lq = logSoftmax(Array.from({ length: classes }, (_, c) => s[i * classes + c]!));
    for (let c = 0; c < classes; c++) total += Math.exp(lp[c]!) * (lp[c]! - lq[c]!);
  }
  return total / n;
}

describe('ensemble distillation (FedDF)', () => {
  const spec = mlpSpec(6, [8], 3);
  const teachers = [randomNetwork(spec, 1), randomNetwork(spec, 2), randomNetwork(spec, 3)];
  const calibration = gaussianInputs(spec, 120, 4);
  const unseen = gaussianInputs(spec, 200, 5);

  test('lowers the KL to the teachers\' ensemble, on the calibration set and on inputs it never saw', async () => {
    const start = weightedParameterSum(teachers, [1 / 3, 1 / 3, 1 / 3]);
    const { network, report } = await distillEnsemble(start, teachers, calibration, 120, { maxSteps: 300, seed: 1 });
    const before = await klToEnsemble(start, teachers, calibration, 120);
    const after = await klToEnsemble(network, teachers, calibration, 120);
    assert.ok(after < 0.7 * before, `calibration KL ${before} -> ${after}`);
    assert.ok((await klToEnsemble(network, teachers, unseen, 200)) < (await klToEnsemble(start, teachers, unseen, 200)));
    assert.ok(report.heldOutKlAfter < report.heldOutKlBefore);
    assert.ok(report.bestStep > 0 && report.bestStep <= report.steps);
    assert.equal(report.heldOutSamples, 24);
  });

  test('a student that already is the ensemble (one teacher, itself) comes back unchanged', async () => {
    const only = teachers[0]!;
    const { network, report } = await distillEnsemble(only, [only], calibration, 120, { maxSteps: 30, patience: 1 });
    assert.equal(report.bestStep, 0);
    assert.deepEqual(network.layers.map((l) => Array.from(l.kernel)), only.layers.map((l) => Array.from(l.kernel)));
  });

  test('the same seed gives the same student; the input is not modified', async () => {
    const start = weightedParameterSum(teachers, [0.5, 0.25, 0.25]);
    const copy = start.layers.map((l) => Float32Array.from(l.kernel));
    const a = await distillEnsemble(start, teachers, calibration, 120, { maxSteps: 40, seed: 7 });
    const b = await distillEnsemble(start, teachers, calibration, 120, { maxSteps: 40, seed: 7 });
    assert.deepEqual(a.network.layers.map((l) => Array.from(l.kernel)), b.network.layers.map((l) => Array.from(l.kernel)));
    start.layers.forEach((l, i) => assert.deepEqual(l.kernel, copy[i]));
  });

  test('refuses what it cannot distil, with typed errors', async () => {
    const other = randomNetwork(mlpSpec(6, [5], 3), 9);
    await assert.rejects(distillEnsemble(teachers[0]!, [], calibration, 120), { code: 'invalid_argument' });
    await assert.rejects(distillEnsemble(teachers[0]!, [other], calibration, 120), { code: 'shape_mismatch' });
    await assert.rejects(distillEnsemble(teachers[0]!, teachers, calibration, 7), { code: 'invalid_argument' });
    await assert.rejects(distillEnsemble(teachers[0]!, teachers, calibration, 120, { temperature: 0 }), { code: 'invalid_argument' });
  });

  test('frees every tensor it creates (MLP and CNN)', async () => {
    const cnn = smallCnnSpec([8, 8, 1], [3], 3);
    const cnnTeachers = [randomNetwork(cnn, 1), randomNetwork(cnn, 2)];
    const cnnInputs = gaussianInputs(cnn, 20, 3);
    await distillEnsemble(cnnTeachers[0]!, cnnTeachers, cnnInputs, 20, { maxSteps: 5, evaluateEvery: 2 });
    const before = tf.memory().numTensors;
    await distillEnsemble(cnnTeachers[0]!, cnnTeachers, cnnInputs, 20, { maxSteps: 5, evaluateEvery: 2 });
    await distillEnsemble(teachers[0]!, teachers, calibration, 120, { maxSteps: 12, evaluateEvery: 3 });
    assert.equal(tf.memory().numTensors, before);
  });
});
