import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { uniformSummary, type AttributionSummary } from '../common/attribution/summary.ts';
import type { Network } from '../common/model/network.ts';
import { mlpSpec, smallCnnSpec, type ModelSpec } from '../common/model/spec.ts';
import { fuse, type FusionOptions } from '../server/fusion/index.ts';
import { gaussianInputs, randomNetwork } from './fusion-fixtures.ts';

const SPEC: ModelSpec = mlpSpec(6, [10, 8], 3);
const NET = randomNetwork(SPEC, 1);
const OTHER = randomNetwork(SPEC, 2);
const CALIBRATION = gaussianInputs(SPEC, 16, 3);

function withNaN(net: Network, layer: number): Network {
  const layers = net.layers.map((l) => ({ ...l }));
  const kernel = Float32Array.from(layers[layer]!.kernel);
  kernel[3] = Number.NaN;
  layers[layer] = { ...layers[layer]!, kernel };
  return { spec: net.spec, layers };
}

function summary(spec: ModelSpec, edit: (layers: Float32Array[]) => void): AttributionSummary {
  const s = uniformSummary(spec);
  const layers = s.layers.map((l) => Float32Array.from(l));
  edit(layers);
  return { ...s, method: 'conductance', samplesUsed: 10, layers };
}

before(async () => {
  await initBackend();
});

describe('fusion input validation gives typed errors', () => {
  const structureCases: [string, ModelSpec][] = [
    ['another input size', mlpSpec(7, [10, 8], 3)],
    ['another number of classes', mlpSpec(6, [10, 8], 4)],
    ['another number of layers', mlpSpec(6, [10], 3)],
    ['a CNN', smallCnnSpec([8, 8, 1], [4], 3)],
    ['another activation', { ...SPEC, layers: SPEC.layers.map((l, i) => (i === 0 && l.kind === 'dense' ? { ...l, activation: 'linear' as const } : l)) }],
    ['no bias', { ...SPEC, layers: SPEC.layers.map((l, i) => (i === 1 && l.kind === 'dense' ? { ...l, useBias: false } : l)) }],
  ];
  for (const [what, spec] of structureCases) {
    test(`mismatched layer structure (${what}) -> shape_mismatch, for every method`, async () => {
      const other = randomNetwork(spec, 4);
      for (const method of ['kf-linear', 'hf', 'fedavg', 'average'] as const) {
        await assert.rejects(fuse([NET, other], CALIBRATION, { method, numExamples: [1, 1] }), { code: 'shape_mismatch' }, method);
      }
    });
  }

  test('a CNN parent with another kernel size -> shape_mismatch', async () => {
    const cnn = smallCnnSpec([8, 8, 1], [4], 3);
    const other = { ...cnn, layers: cnn.layers.map((l) => (l.kind === 'conv2d' ? { ...l, kernelSize: 5 } : l)) };
    const a = randomNetwork(cnn, 5);
    const b = randomNetwork(other, 6);
    await assert.rejects(fuse([a, b], gaussianInputs(cnn, 4, 7), { method: 'kf-linear' }), { code: 'shape_mismatch' });
  });

  test('wrong calibration shape -> shape_mismatch; empty -> shape_mismatch for neuron methods only', async () => {
    await assert.rejects(fuse([NET, OTHER], new Float32Array(6 * 4 + 1), { method: 'kf-linear' }), { code: 'shape_mismatch' });
    await assert.rejects(fuse([NET, OTHER], new Float32Array(0), { method: 'kf-linear' }), { code: 'shape_mismatch' });
    await assert.rejects(fuse([NET, OTHER], new Float32Array(0), { method: 'hf' }), { code: 'shape_mismatch' });
    const { network } = await fuse([NET, OTHER], new Float32Array(0), { method: 'average' });
    assert.equal(network.layers.length, 3);
  });

  test('NaN in weights, calibration or importances -> non_finite', async () => {
    for (const layer of [0, 2]) {
      await assert.rejects(fuse([NET, withNaN(OTHER, layer)], CALIBRATION, { method: 'kf-linear' }), { code: 'non_finite' });
      await assert.rejects(fuse([withNaN(NET, layer), OTHER], CALIBRATION, { method: 'fedavg', numExamples: [1, 2] }), { code: 'non_finite' });
    }
    const bad = Float32Array.from(CALIBRATION);
    bad[5] = Number.POSITIVE_INFINITY;
    await assert.rejects(fuse([NET, OTHER], bad, { method: 'kf-linear' }), { code: 'non_finite' });
    const nanScores = summary(SPEC, (l) => (l[1]![2] = Number.NaN));
    await assert.rejects(fuse([NET, OTHER], CALIBRATION, { method: 'kf-linear', importances: [uniformSummary(SPEC), nanScores] }), { code: 'non_finite' });
  });

  test('bad importances -> invalid_argument or shape_mismatch', async () => {
    const u = uniformSummary(SPEC);
    const cases: [AttributionSummary[], string][] = [
      [[u, summary(SPEC, (l) => (l[0]![0] = -1))], 'invalid_argument'],
      [[u, summary(SPEC, (l) => l[0]!.fill(0))], 'invalid_argument'],
      [[u, summary(SPEC, (l) => (l[0] = new Float32Array(9).fill(1)))], 'shape_mismatch'],
      [[u, { ...u, layers: u.layers.slice(0, 2) }], 'shape_mismatch'],
      [[u], 'invalid_argument'],
    ];
    for (const [importances, code] of cases) {
      await assert.rejects(fuse([NET, OTHER], CALIBRATION, { method: 'kf-linear', importances }), { code });
    }
  });

  test('bad options -> invalid_argument', async () => {
    const bad: FusionOptions[] = [
      { method: 'nope' as FusionOptions['method'] },
      { method: 'kf-linear', targetHiddenWidths: [10] },
      { method: 'kf-linear', targetHiddenWidths: [0, 8] },
      { method: 'kf-linear', targetHiddenWidths: [21, 8] }, // more than the parents' 20 neurons
      { method: 'kf-linear', targetHiddenWidths: [2.5, 8] },
      { method: 'kf-linear', seed: 0.5 },
      { method: 'kf-linear', convRowBudget: 0 },
      { method: 'kf-linear', kmeans: { restarts: 0 } },
      { method: 'kf-linear', kmeans: { minRelativeImprovement: 1 } },
      { method: 'kf-linear', ridge: { relativeLambda: -1 } },
      { method: 'kf-linear', importance: 'conductance' as 'uniform' },
      { method: 'fedavg' },
      { method: 'fedavg', numExamples: [1] },
      { method: 'fedavg', numExamples: [0, 0] },
      { method: 'fedavg', numExamples: [1, -1] },
      { method: 'average', targetHiddenWidths: [5, 8] },
    ];
    for (const options of bad) {
      await assert.rejects(fuse([NET, OTHER], CALIBRATION, options), { code: 'invalid_argument' }, JSON.stringify(options));
    }
    await assert.rejects(fuse([], CALIBRATION, { method: 'kf-linear' }), { code: 'invalid_argument' });
  });

  test('the parameter means need equal widths (kf-linear does not)', async () => {
    const narrower = randomNetwork(mlpSpec(6, [9, 8], 3), 8);
    await assert.rejects(fuse([NET, narrower], CALIBRATION, { method: 'average' }), { code: 'shape_mismatch' });
    await assert.rejects(fuse([NET, narrower], CALIBRATION, { method: 'fedavg', numExamples: [1, 1] }), { code: 'shape_mismatch' });
    const { network } = await fuse([NET, narrower], CALIBRATION, { method: 'kf-linear' });
    assert.deepEqual(network.layers[0]!.kernelShape, [6, 10]);
  });
});
