import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { isFedfuseError } from '../common/errors/index.ts';
import {
  batchOf,
  buildLayersModel,
  disposeNetworkTensors,
  forwardLogits,
  forwardProbabilities,
  initNetwork,
  mlpSpec,
  networkFromLayersModel,
  networkToLayersModel,
  toNetworkTensors,
  type ModelSpec,
  type Network,
} from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';

/** A CNN exercising every spec option: strides, both paddings, no bias, relu and linear. */
const oddCnn: ModelSpec = {
  inputShape: [9, 9, 2],
  layers: [
    { kind: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', useBias: true },
    { kind: 'maxPool2d', poolSize: 2, strides: 1, padding: 'same' },
    { kind: 'conv2d', filters: 3, kernelSize: 2, strides: 1, padding: 'same', activation: 'linear', useBias: false },
    { kind: 'flatten' },
    { kind: 'dense', units: 5, activation: 'relu', useBias: false },
    { kind: 'dense', units: 3, activation: 'linear', useBias: true },
  ],
  outputActivation: 'linear',
};

function randomInputs(spec: ModelSpec, n: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const size = n * spec.inputShape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, () => rng.next() * 2 - 1);
}

/** Gives every bias non-zero values so that a swapped or dropped bias shows in the predictions. */
function withRandomBiases(net: Network, seed: number): Network {
  const rng = new SeededRandom(seed);
  return { ...net, layers: net.layers.map((l) => ({ ...l, bias: l.bias === null ? null : l.bias.map(() => rng.next() - 0.5) })) };
}

async function ourOutputs(net: Network, x: Float32Array, n: number): Promise<Float32Array> {
  const weights = toNetworkTensors(net);
  const out = tf.tidy(() => {
    const input = batchOf(net.spec, x, n);
    return net.spec.outputActivation === 'softmax' ? forwardProbabilities(weights, input) : forwardLogits(weights, input);
  });
  const values = (await out.data()) as Float32Array;
  out.dispose();
  disposeNetworkTensors(weights);
  return values;
}

async function modelOutputs(model: tf.LayersModel, spec: ModelSpec, x: Float32Array, n: number): Promise<Float32Array> {
  const input = batchOf(spec, x, n);
  const out = model.predict(input) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  tf.dispose([input, out]);
  return values;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `value ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('LayersModel <-> Network', () => {
  before(async () => {
    await initBackend();
  });

  const cases: Array<[string, ModelSpec]> = [
    ['MLP with softmax output', mlpSpec(12, [10, 6], 4)],
    ['CNN with strides, paddings, no-bias layers, linear output', oddCnn],
  ];

  for (const [name, spec] of cases) {
    test(`${name}: the model predicts what the functional forward pass computes`, async () => {
      const net = withRandomBiases(initNetwork(spec, 11), 12);
      const model = networkToLayersModel(net);
      const x = randomInputs(spec, 6, 13);
      assertClose(await modelOutputs(model, spec, x, 6), await ourOutputs(net, x, 6), 1e-5);
      model.dispose();
    });

    test(`${name}: network -> model -> network gives back the same spec and weights`, async () => {
      const net = withRandomBiases(initNetwork(spec, 21), 22);
      const model = networkToLayersModel(net);
      const back = await networkFromLayersModel(model);
      model.dispose();
      assert.deepEqual(back.spec, spec);
      assert.equal(back.layers.length, net.layers.length);
      back.layers.forEach((layer, l) => {
        const original = net.layers[l]!;
        assert.deepEqual([...layer.kernelShape], [...original.kernelShape]);
        assert.deepEqual(layer.kernel, original.kernel);
        assert.deepEqual(layer.bias, original.bias);
      });
    });
  }

  test('a built model has one tfjs layer per spec layer plus the softmax, and weights only on Dense/Conv2D', () => {
    const spec = mlpSpec(5, [4], 3);
    const model = buildLayersModel(spec);
    assert.deepEqual(
      model.layers.map((l) => l.getClassName()),
      ['Dense', 'Dense', 'Activation'],
    );
    assert.deepEqual(
      model.layers.map((l) => l.getWeights().map((w) => w.shape)),
      [[[5, 4], [4]], [[4, 3], [3]], []],
    );
    model.dispose();
  });

  test('two models of the same spec can live in one process', async () => {
    const spec = mlpSpec(4, [3], 2);
    const a = networkToLayersModel(initNetwork(spec, 1));
    const b = networkToLayersModel(initNetwork(spec, 2));
    const fromA = await networkFromLayersModel(a);
    const fromB = await networkFromLayersModel(b);
    assert.notDeepEqual(fromA.layers[0]!.kernel, fromB.layers[0]!.kernel);
    a.dispose();
    b.dispose();
  });

  test('a model tfjs builds differently (separate activation layers) reads as the same network', async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [6], units: 5 }));
    model.add(tf.layers.reLU());
    model.add(tf.layers.dense({ units: 3 }));
    model.add(tf.layers.activation({ activation: 'softmax' }));
    const net = await networkFromLayersModel(model);
    assert.deepEqual(net.spec, mlpSpec(6, [5], 3));
    const x = randomInputs(net.spec, 4, 5);
    assertClose(await ourOutputs(net, x, 4), await modelOutputs(model, net.spec, x, 4), 1e-5);
    model.dispose();
  });

  test('a model with an unsupported layer is rejected naming it', async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [6], units: 5, name: 'hidden_tanh', activation: 'tanh' }));
    model.add(tf.layers.dense({ units: 3 }));
    await assert.rejects(networkFromLayersModel(model), (e) => isFedfuseError(e, 'invalid_argument') && /hidden_tanh/.test(e.message) && /tanh/.test(e.message));
    model.dispose();
  });

  test('building, converting and reading back leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const net = initNetwork(oddCnn, 3);
    const model = networkToLayersModel(net);
    await networkFromLayersModel(model);
    await modelOutputs(model, oddCnn, randomInputs(oddCnn, 2, 1), 2);
    model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
