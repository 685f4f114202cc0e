import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { isFedfuseError } from '../common/errors/index.ts';
import { batchOf, disposeNetworkTensors, runGraph, toNetworkTensors, validateNetwork, type ModelSpec, type Network } from '../common/model/index.ts';
import { networkLogits } from '../common/model/network-logits.ts';
import { fuse, type FusionOptions } from '../server/fusion/index.ts';
import { everyLayerSpec, permutedCopy, randomGraphNetwork, randomInputs, residualBatchNormSpec } from './graph-model-fixtures.ts';

/**
 * Fusion through layer graphs: residual additions (their layers grouped
 * once), BatchNorm folded into its level and re-estimated, per-channel
 * layers, pooling, reshapes and dropout carried.
 */

async function maxLogitDifference(a: Network, b: Network, x: Float32Array, n: number): Promise<number> {
  const [la, lb] = [await networkLogits(a, x, n), await networkLogits(b, x, n)];
  return la.reduce((m, v, i) => Math.max(m, Math.abs(v - lb[i]!)), 0);
}

const noDropout = (spec: ModelSpec): ModelSpec => ({ ...spec, layers: spec.layers.map((l) => (l.kind === 'dropout' ? { ...l, rate: 0 } : l)) });

describe('fusion through layer graphs', () => {
  before(async () => {
    await initBackend();
  });

  test('the permuted copy used below really is a different parameterisation of the same function', async () => {
    const net = randomGraphNetwork(residualBatchNormSpec(4), 1);
    const copy = permutedCopy(net, 2);
    assert.notDeepEqual(copy.layers[0]!.kernel, net.layers[0]!.kernel);
    const x = randomInputs(net.spec, 10, 3);
    assert.ok((await maxLogitDifference(net, copy, x, 10)) < 1e-5);
  });

  const cases: [string, ModelSpec, FusionOptions][] = [
    ['kf-linear, residual BatchNorm model, 3 parents', residualBatchNormSpec(4), { method: 'kf-linear' }],
    ['hf, residual BatchNorm model', residualBatchNormSpec(4), { method: 'hf' }],
    ['kf-linear, every layer kind (depthwise, projection shortcut, both poolings, global pooling)', everyLayerSpec(), { method: 'kf-linear' }],
  ];
  for (const [name, spec, options] of cases) {
    test(`${name}: fusing permuted copies gives the same function back (max logit difference < 1e-4)`, async () => {
      const net = randomGraphNetwork(spec, 4);
      const parents = options.method === 'hf' ? [net, permutedCopy(net, 5)] : [net, permutedCopy(net, 5), permutedCopy(net, 6)];
      const calibration = randomInputs(spec, 100, 7);
      // A ridge far below the default: the property is about the fusion, not the regularisation (the default 1e-6 shrinks the fits by ~1e-5).
      const { network, report } = await fuse(parents, calibration, { ...options, convRowBudget: 4000, ridge: { relativeLambda: 1e-10 } });
      validateNetwork(network);
      const x = randomInputs(spec, 12, 8);
      const diff = await maxLogitDifference(network, net, x, 12);
      assert.ok(diff < 1e-4, `max logit difference ${diff}`);
      assert.ok(report.levels.some((l) => l.grouping === 'shared' && l.residualTargets === true), 'a layer joined by a residual add reuses its space grouping and fits residual targets');
      assert.ok(report.levels.some((l) => l.foldedBatchNorm !== undefined) || (report.channelLevels ?? []).some((l) => l.foldedBatchNorm !== undefined), 'a BatchNorm is folded');
    });
  }

  test('re-estimated BatchNorm: on the calibration set, the fused model in training mode computes what it computes in inference', async () => {
    // BatchNorms with scale: one without (gamma fixed to 1) must carry the fitted slope in its moving variance instead of the real one.
    const spec: ModelSpec = { ...noDropout(everyLayerSpec()), layers: noDropout(everyLayerSpec()).layers.map((l) => (l.kind === 'batchNorm' ? { ...l, scale: true } : l)) };
    const parents = [randomGraphNetwork(spec, 10), randomGraphNetwork(spec, 11)];
    const calibration = randomInputs(spec, 30, 12);
    const { network } = await fuse(parents, calibration, { method: 'kf-linear', convRowBudget: 2000 });
    const tensors = toNetworkTensors(network);
    const [training, inference] = tf.tidy(() => {
      const x = batchOf(spec, calibration, 30);
      return [runGraph(tensors, x, { mode: { training: true } })[0]!, runGraph(tensors, x)[0]!];
    });
    const [a, b] = await Promise.all([training!.data(), inference!.data()]);
    const scale = Array.from(b).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-3 * scale, `logit ${i}: ${a[i]} (training) vs ${b[i]} (inference)`);
    tf.dispose([training!, inference!]);
    disposeNetworkTensors(tensors);
  });

  test('two different residual models fuse into a valid model of the target widths; no tensor leaks', async () => {
    const spec = residualBatchNormSpec(4);
    const parents = [randomGraphNetwork(spec, 20), randomGraphNetwork(spec, 21)];
    const calibration = randomInputs(spec, 20, 22);
    const options: FusionOptions = { method: 'kf-linear', convRowBudget: 1000, targetHiddenWidths: [3, 2, 3], importance: 'activation' };
    await fuse(parents, calibration, options);
    const before = tf.memory().numTensors;
    const { network, report } = await fuse(parents, calibration, options);
    assert.equal(tf.memory().numTensors, before);
    validateNetwork(network);
    assert.deepEqual(report.hiddenWidths, [3, 2, 3]);
    for (const method of ['hf', 'fedavg', 'average'] as const) {
      await fuse(parents, calibration, { method, numExamples: [1, 2] });
      const start = tf.memory().numTensors;
      await fuse(parents, calibration, { method, numExamples: [1, 2] });
      assert.equal(tf.memory().numTensors, start, `${method} leaks`);
    }
  });

  test('widths that a residual add joins must stay equal; a typed one-line error otherwise', async () => {
    const spec = residualBatchNormSpec(4);
    const parents = [randomGraphNetwork(spec, 30), randomGraphNetwork(spec, 31)];
    await assert.rejects(
      fuse(parents, randomInputs(spec, 10, 32), { method: 'kf-linear', targetHiddenWidths: [3, 2, 4] }),
      (e: unknown) => isFedfuseError(e, 'invalid_argument') && /residual add/.test(e.message) && !e.message.includes('\n'),
    );
  });

  test('a reshape that moves channels into positions pins them: fused as they are, a width change or unequal parents refused', async () => {
    const spec: ModelSpec = {
      inputShape: [6],
      layers: [
        { kind: 'dense', units: 8, activation: 'relu', useBias: true },
        { kind: 'reshape', targetShape: [2, 2, 2] },
        { kind: 'conv2d', filters: 3, kernelSize: 2, strides: 1, padding: 'valid', activation: 'relu', useBias: true },
        { kind: 'flatten' },
        { kind: 'dense', units: 2, activation: 'linear', useBias: true },
      ],
      outputActivation: 'softmax',
    };
    const net = randomGraphNetwork(spec, 40);
    // Centred inputs, so that no hidden relu is off on every calibration sample (its outgoing weights would be undetermined).
    const centred = (x: Float32Array): Float32Array => x.map((v) => 2 * v - 1);
    const calibration = centred(randomInputs(spec, 100, 41));
    const { network, report } = await fuse([net, permutedCopy(net, 42)], calibration, { method: 'kf-linear', ridge: { relativeLambda: 1e-10 } });
    assert.equal(report.levels[0]!.grouping, 'identity');
    assert.ok((await maxLogitDifference(network, net, centred(randomInputs(spec, 8, 43)), 8)) < 1e-4);
    await assert.rejects(fuse([net, net], calibration, { method: 'kf-linear', targetHiddenWidths: [4, 3] }), (e: unknown) => isFedfuseError(e, 'invalid_argument') && /reshape/.test(e.message));
    const wider = randomGraphNetwork({ ...spec, layers: spec.layers.map((l, i) => (i === 0 ? { ...l, units: 12 } : i === 1 ? { kind: 'reshape', targetShape: [2, 2, 3] } : l)) } as ModelSpec, 44);
    await assert.rejects(fuse([net, wider], calibration, { method: 'kf-linear' }), (e: unknown) => isFedfuseError(e, 'shape_mismatch'));
  });
});
