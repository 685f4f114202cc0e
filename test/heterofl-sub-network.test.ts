import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { isFedfuseError } from '../common/errors/index.ts';
import { hiddenWidthsAtFraction } from '../common/model/width-fractions.ts';
import { layerWidths, mlpSpec, smallCnnSpec, withHiddenWidths, type ModelSpec, type Network } from '../common/model/index.ts';
import { networkLogits } from '../common/model/network-logits.ts';
import { heteroFLAverage, subNetwork } from '../server/fusion/index.ts';
import { everyLayerSpec, randomGraphNetwork, randomInputs, residualBatchNormSpec } from './graph-model-fixtures.ts';
import { withDeadTail } from './width-fixtures.ts';

/**
 * HeteroFL's static sub-networks (server/fusion/sub-network.ts) and its
 * aggregation (heterofl-average.ts): the first p of each hidden channel
 * space's neurons, and every global parameter averaged over the clients that
 * hold it.
 */

const MODELS: [string, ModelSpec][] = [
  ['MLP 12-24-16-3', mlpSpec(12, [24, 16], 3)],
  ['CNN conv6-pool-conv5-pool-flatten-dense', smallCnnSpec([8, 8, 2], [6, 5], 3)],
  ['residual BatchNorm model (an add joins two levels)', residualBatchNormSpec(6)],
  ['every layer kind (depthwise, projection shortcut, BatchNorm without scale, global pooling)', everyLayerSpec()],
];

async function maxLogitDifference(a: Network, b: Network, x: Float32Array, n: number): Promise<number> {
  const [la, lb] = [await networkLogits(a, x, n), await networkLogits(b, x, n)];
  return la.reduce((m, v, i) => Math.max(m, Math.abs(v - lb[i]!)), 0);
}

function net(spec: ModelSpec, layers: [number[], number[]][]): Network {
  let input = spec.inputShape[0]!;
  return {
    spec,
    layers: layers.map(([kernel, bias]) => {
      const out = bias.length;
      const lw = { kernel: Float32Array.from(kernel), kernelShape: [input, out], bias: Float32Array.from(bias) };
      input = out;
      return lw;
    }),
  };
}

describe('HeteroFL sub-networks', () => {
  before(async () => {
    await initBackend('cpu');
  });

  for (const [name, spec] of MODELS) {
    test(`${name}: a model whose tail channels are dead computes the same function as its half-width sub-network`, async () => {
      const hidden = hiddenWidthsAtFraction(spec, 0.5);
      const global = withDeadTail(randomGraphNetwork(spec, 7), hidden);
      const sub = subNetwork(global, hidden);
      assert.deepEqual(sub.spec, withHiddenWidths(spec, hidden));
      assert.deepEqual(layerWidths(sub.spec).slice(0, -1), hidden);
      const x = randomInputs(spec, 16, 8);
      const diff = await maxLogitDifference(sub, global, x, 16);
      assert.ok(diff < 1e-4, `max logit difference ${diff}`);
      // Fixture check: the dead tail matters for the un-killed model, so the test can fail.
      const live = randomGraphNetwork(spec, 7);
      assert.ok((await maxLogitDifference(subNetwork(live, hidden), live, x, 16)) > 1e-3);
    });

    test(`${name}: scattering a sub-network back (one client) keeps it and the global values outside it; full width is the identity`, () => {
      const global = randomGraphNetwork(spec, 11);
      const hidden = hiddenWidthsAtFraction(spec, 0.25);
      const client = randomGraphNetwork(withHiddenWidths(spec, hidden), 12);
      const merged = heteroFLAverage(global, [client], [5]);
      assert.deepEqual(subNetwork(merged, hidden).layers, client.layers);
      const full = subNetwork(global, hiddenWidthsAtFraction(spec, 1));
      assert.deepEqual(full.layers, global.layers);
      // Every value outside the sub-network is the global one: only as many values changed as the client holds.
      let changed = 0;
      merged.layers.forEach((lw, p) => lw.kernel.forEach((v, k) => (changed += v === global.layers[p]!.kernel[k] ? 0 : 1)));
      const held = client.layers.reduce((s, lw) => s + lw.kernel.length, 0);
      assert.ok(changed <= held && changed > 0);
    });
  }

  test('with every client at full width HeteroFL is FedAvg', () => {
    const spec = mlpSpec(5, [4], 3);
    const [g, a, b] = [1, 2, 3].map((s) => randomGraphNetwork(spec, s)) as [Network, Network, Network];
    const merged = heteroFLAverage(g, [a, b], [1, 3]);
    merged.layers.forEach((lw, p) => lw.kernel.forEach((v, k) => assert.ok(Math.abs(v - (a.layers[p]!.kernel[k]! + 3 * b.layers[p]!.kernel[k]!) / 4) < 1e-6)));
  });

  test('hand-computed: one full-width client and one half-width client', () => {
    // 1 input -> 2 hidden -> 1 output. The half-width client holds hidden neuron 0 only.
    const spec = mlpSpec(1, [2], 1);
    const global = net(spec, [[[-1, -2], [-3, -4]], [[-5, -6], [-7]]]);
    const full = net(spec, [[[1, 2], [3, 4]], [[5, 6], [7]]]);
    const half = net(mlpSpec(1, [1], 1), [[[10], [30]], [[50], [70]]]);
    const merged = heteroFLAverage(global, [full, half], [1, 3]);
    // Held by both: (1·full + 3·half) / 4; hidden neuron 1 (its column, bias and row) only by the full client.
    assert.deepEqual([...merged.layers[0]!.kernel], [(1 + 30) / 4, 2]);
    assert.deepEqual([...merged.layers[0]!.bias!], [(3 + 90) / 4, 4]);
    assert.deepEqual([...merged.layers[1]!.kernel], [(5 + 150) / 4, 6]);
    assert.deepEqual([...merged.layers[1]!.bias!], [(7 + 210) / 4]);
    // Without the full-width client, what no client holds keeps the global value.
    const alone = heteroFLAverage(global, [half], [3]);
    assert.deepEqual([...alone.layers[0]!.kernel], [10, -2]);
    assert.deepEqual([...alone.layers[0]!.bias!], [30, -4]);
    assert.deepEqual([...alone.layers[1]!.kernel], [50, -6]);
    assert.deepEqual([...alone.layers[1]!.bias!], [70]);
  });

  test('width fractions: ceil(p · width), at least 1; out-of-range fractions, pinned levels and foreign models are one-line errors', () => {
    assert.deepEqual(hiddenWidthsAtFraction(mlpSpec(784, [256], 10), 0.5), [128]);
    assert.deepEqual(hiddenWidthsAtFraction(mlpSpec(784, [256, 3], 10), 0.25), [64, 1]);
    assert.deepEqual(hiddenWidthsAtFraction(residualBatchNormSpec(6), 0.5), [3, 3, 3]);
    for (const bad of [0, 1.5, -1, Number.NaN]) assert.throws(() => hiddenWidthsAtFraction(mlpSpec(4, [4], 2), bad), (e: unknown) => isFedfuseError(e, 'invalid_argument'));
    const pinned: ModelSpec = {
      inputShape: [8],
      layers: [
        { kind: 'dense', units: 16, activation: 'relu', useBias: true },
        { kind: 'reshape', targetShape: [4, 4] },
        { kind: 'flatten' },
        { kind: 'dense', units: 3, activation: 'linear', useBias: true },
      ],
      outputActivation: 'softmax',
    };
    assert.throws(() => hiddenWidthsAtFraction(pinned, 0.5), (e: unknown) => isFedfuseError(e, 'invalid_argument') && /reshape/.test(e.message) && !e.message.includes('\n'));
    const global = randomGraphNetwork(mlpSpec(4, [4], 2), 1);
    const other = randomGraphNetwork(mlpSpec(4, [2, 2], 2), 2);
    assert.throws(() => heteroFLAverage(global, [other], [1]), (e: unknown) => isFedfuseError(e, 'shape_mismatch'));
  });

  test('no tensor leaks', async () => {
    const spec = residualBatchNormSpec(4);
    const before = tf.memory().numTensors;
    const sub = subNetwork(randomGraphNetwork(spec, 3), hiddenWidthsAtFraction(spec, 0.5));
    heteroFLAverage(randomGraphNetwork(spec, 3), [sub], [1]);
    assert.equal(tf.memory().numTensors, before);
  });
});
