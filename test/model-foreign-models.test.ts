import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import {
  batchOf,
  disposeNetworkTensors,
  float16ToNumber,
  forwardProbabilities,
  initNetwork,
  loadNetwork,
  mlpSpec,
  networkFromLayersModel,
  networkFromModelArtifacts,
  networkToModelArtifacts,
  parseSequentialTopology,
  saveNetwork,
  toNetworkTensors,
  type KerasLayerJson,
  type ModelSpec,
  type Network,
} from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';

/**
 * Models made elsewhere: built with plain tf.sequential() (activations as
 * their own layers, an InputLayer, ReLU layers), saved by tfjs, then written
 * the way converters do (several groups and shards, any weight order).
 */

function randomInputs(spec: ModelSpec, n: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  return Float32Array.from({ length: n * spec.inputShape.reduce((a, b) => a * b, 1) }, () => rng.next());
}

async function ourProbabilities(net: Network, x: Float32Array, n: number): Promise<Float32Array> {
  const weights = toNetworkTensors(net);
  const out = tf.tidy(() => forwardProbabilities(weights, batchOf(net.spec, x, n)));
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

/** A CNN written the way tfjs users write one, with random (non-zero) biases too. */
function elsewhereStyleCnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [8, 8, 1] }));
  model.add(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }));
  model.add(tf.layers.reLU());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 6 }));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dense({ units: 4 }));
  model.add(tf.layers.activation({ activation: 'softmax' }));
  const random = model.getWeights().map((w, i) => tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 100 + i));
  model.setWeights(random);
  tf.dispose(random);
  return model;
}

async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  assert.ok(saved !== null);
  return saved;
}

function bytesOf(data: tf.io.WeightData | undefined): Uint8Array {
  assert.ok(data !== undefined && !Array.isArray(data));
  return new Uint8Array(data);
}

/** Each weight's bytes, in manifest order (float32 only, as tfjs writes them). */
function weightSegments(artifacts: tf.io.ModelArtifacts): Array<{ spec: tf.io.WeightsManifestEntry; bytes: Uint8Array }> {
  const data = bytesOf(artifacts.weightData);
  let offset = 0;
  return artifacts.weightSpecs!.map((spec) => {
    const length = 4 * spec.shape.reduce((a, b) => a * b, 1);
    const bytes = data.slice(offset, offset + length);
    offset += length;
    return { spec, bytes };
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function expectError(code: ErrorCode, pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isFedfuseError(e, code), `expected a FedfuseError ${code}, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  };
}

describe('models made elsewhere', () => {
  let tmp: string;
  before(async () => {
    await initBackend();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedfuse-foreign-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('separate activation layers, two groups, two shards, shuffled manifest: loadNetwork predicts like the tfjs model', async () => {
    const model = elsewhereStyleCnn();
    const artifacts = await artifactsOf(model);
    const segments = weightSegments(artifacts);
    const order = new SeededRandom(5).permutation(segments.length);
    assert.notDeepEqual(order, [...order].sort((a, b) => a - b), 'the shuffle must change the order');
    const shuffled = order.map((i) => segments[i]!);
    // Group 1: two weights in one file. Group 2: the rest, cut into two shards at a byte that is not a float boundary.
    const group1 = shuffled.slice(0, 2);
    const group2 = shuffled.slice(2);
    const group2Bytes = concat(group2.map((s) => s.bytes));
    const cut = Math.floor(group2Bytes.length / 2) + 1;
    const dir = path.join(tmp, 'sharded');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), concat(group1.map((s) => s.bytes)));
    fs.writeFileSync(path.join(dir, 'group2-shard1of2.bin'), group2Bytes.subarray(0, cut));
    fs.writeFileSync(path.join(dir, 'group2-shard2of2.bin'), group2Bytes.subarray(cut));
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      weightsManifest: [
        { paths: ['group1-shard1of1.bin'], weights: group1.map((s) => s.spec) },
        { paths: ['group2-shard1of2.bin', 'group2-shard2of2.bin'], weights: group2.map((s) => s.spec) },
      ],
    };
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));

    const net = await loadNetwork(path.join(dir, 'model.json'));
    assert.deepEqual(
      net.spec.layers.map((l) => (l.kind === 'dense' || l.kind === 'conv2d' ? `${l.kind}:${l.activation}` : l.kind)),
      ['conv2d:relu', 'maxPool2d', 'flatten', 'dense:relu', 'dense:linear'],
    );
    assert.equal(net.spec.outputActivation, 'softmax');
    const x = randomInputs(net.spec, 4, 6);
    assertClose(await ourProbabilities(net, x, 4), await modelOutputs(model, net.spec, x, 4), 1e-5);
    assert.deepEqual(await networkFromLayersModel(model), net);
    model.dispose();
  });

  test('a Keras-converted layout (topology under model_config, scoped weight names) loads', async () => {
    const net = initNetwork(mlpSpec(5, [4], 3), 9);
    const files = networkToModelArtifacts(net);
    const modelJson = {
      ...files.modelJson,
      modelTopology: { keras_version: '2.15.0', backend: 'tensorflow', model_config: files.modelJson.modelTopology },
      weightsManifest: files.modelJson.weightsManifest.map((g) => ({ ...g, weights: g.weights.map((w) => ({ ...w, name: `sequential/${w.name}` })) })),
    };
    assert.deepEqual(networkFromModelArtifacts({ modelJson, weightData: files.weightData }), net);
  });

  test('uint8-quantized weights are expanded to float32', async () => {
    const net = initNetwork(mlpSpec(6, [5], 3), 10);
    const files = networkToModelArtifacts(net);
    // Quantize the first kernel (6x5) as converters do: v ≈ q * scale + min.
    const kernel = net.layers[0]!.kernel;
    const min = Math.min(...kernel);
    const scale = (Math.max(...kernel) - min) / 255;
    const quantized = Uint8Array.from(kernel, (v) => Math.round((v - min) / scale));
    const rest = files.weightData.subarray(4 * kernel.length);
    const [first, ...others] = files.modelJson.weightsManifest[0]!.weights;
    const modelJson = {
      ...files.modelJson,
      weightsManifest: [{ paths: ['weights.bin'], weights: [{ ...first!, quantization: { dtype: 'uint8' as const, min, scale } }, ...others] }],
    };
    const back = networkFromModelArtifacts({ modelJson, weightData: concat([quantized, rest]) });
    assertClose(back.layers[0]!.kernel, kernel, scale / 2 + 1e-6);
    assert.deepEqual(back.layers[1], net.layers[1]);
  });

  test('float16 bit patterns decode to their values', () => {
    assert.equal(float16ToNumber(0x3c00), 1);
    assert.equal(float16ToNumber(0xc000), -2);
    assert.equal(float16ToNumber(0x3555), 0.333251953125);
    assert.equal(float16ToNumber(0x7bff), 65504);
    assert.equal(float16ToNumber(0x0001), 2 ** -24);
    assert.equal(float16ToNumber(0x7c00), Infinity);
    assert.ok(Number.isNaN(float16ToNumber(0x7e00)));
  });

  describe('unsupported topologies are rejected naming the layer', () => {
    const input = { batch_input_shape: [null, 4] };
    const imageInput = { batch_input_shape: [null, 6, 6, 1] };
    const dense = (name: string, extra: Record<string, unknown> = {}): KerasLayerJson => ({ class_name: 'Dense', config: { name, units: 3, ...extra } });
    const conv = (name: string, extra: Record<string, unknown> = {}): KerasLayerJson => ({
      class_name: 'Conv2D',
      config: { name, filters: 2, kernel_size: [3, 3], ...extra },
    });
    const cases: Array<[string, KerasLayerJson[], RegExp]> = [
      ['an LSTM layer, naming what is supported', [{ class_name: 'LSTM', config: { name: 'lstm1', units: 3, ...input } }, dense('d2')], /"lstm1" \(LSTM\): layer type LSTM is not supported \(supported: InputLayer, Dense, Conv2D, DepthwiseConv2D, .*BatchNormalization, Dropout, .*Add\)/],
      ['BatchNormalization over another axis', [conv('c', imageInput), { class_name: 'BatchNormalization', config: { name: 'bn_axis1', axis: 1 } }, { class_name: 'Flatten', config: { name: 'f' } }, dense('d')], /"bn_axis1".*axis 1/],
      ['a depth multiplier', [{ class_name: 'DepthwiseConv2D', config: { name: 'dw2', kernel_size: [3, 3], depth_multiplier: 2, ...imageInput } }, { class_name: 'Flatten', config: { name: 'f' } }, dense('d')], /"dw2".*depth_multiplier/],
      ['a Dropout with a noise shape', [dense('d0', input), { class_name: 'Dropout', config: { name: 'drop1', rate: 0.5, noise_shape: [1, 3] } }, dense('d2')], /"drop1".*noise_shape/],
      ['a tanh activation', [dense('hidden_tanh', { ...input, activation: 'tanh' }), dense('out')], /"hidden_tanh".*tanh/],
      ['a sigmoid Activation layer', [dense('d0', input), { class_name: 'Activation', config: { name: 'sig', activation: 'sigmoid' } }, dense('d2')], /"sig".*sigmoid/],
      ['a dilated convolution', [conv('dilated', { ...imageInput, dilation_rate: [2, 2] }), { class_name: 'Flatten', config: { name: 'f' } }, dense('d')], /"dilated".*dilation/],
      ['non-square strides', [conv('uneven', { ...imageInput, strides: [1, 2] }), { class_name: 'Flatten', config: { name: 'f' } }, dense('d')], /"uneven".*strides/],
      ['channels_first pooling', [conv('c', imageInput), { class_name: 'MaxPooling2D', config: { name: 'cf_pool', pool_size: [2, 2], data_format: 'channels_first' } }, { class_name: 'Flatten', config: { name: 'f' } }, dense('d')], /"cf_pool".*channels_first/],
      ['a softmax before the last layer', [dense('early', { ...input, activation: 'softmax' }), dense('after')], /"after".*softmax.*"early"/],
      ['a capped ReLU', [dense('d0', input), { class_name: 'ReLU', config: { name: 'relu6', max_value: 6 } }, dense('d2')], /"relu6".*max_value/],
      ['a Dense on an image without Flatten', [conv('c', imageInput), dense('needs_flat')], /"needs_flat".*Flatten/],
      ['a model not ending with Dense', [conv('last_conv', imageInput)], /end with a Dense/],
      ['a model without input shape', [dense('d0'), dense('d1')], /input shape/],
    ];
    for (const [name, layers, pattern] of cases) {
      test(name, () => {
        const topology = { class_name: 'Sequential', config: { name: 'm', layers } };
        assert.throws(() => parseSequentialTopology(topology), expectError('invalid_argument', pattern));
      });
    }

    test('a functional tfjs model with two inputs', async () => {
      const a = tf.input({ shape: [4] });
      const b = tf.input({ shape: [4] });
      const outputs = tf.layers.dense({ units: 2 }).apply(tf.layers.add().apply([a, b]) as tf.SymbolicTensor) as tf.SymbolicTensor;
      const model = tf.model({ inputs: [a, b], outputs });
      await assert.rejects(networkFromLayersModel(model), expectError('invalid_argument', /2 inputs/));
      model.dispose();
    });

    test('a layer applied twice (shared weights)', async () => {
      const input = tf.input({ shape: [4] });
      const shared = tf.layers.dense({ units: 4, name: 'shared_dense' });
      const twice = shared.apply(shared.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(twice) as tf.SymbolicTensor });
      await assert.rejects(networkFromLayersModel(model), expectError('invalid_argument', /"shared_dense".*applied 2 times/));
      model.dispose();
    });
  });

  describe('bad files', () => {
    test('a missing model.json names its path', async () => {
      const missing = path.join(tmp, 'nowhere', 'model.json');
      await assert.rejects(loadNetwork(missing), expectError('invalid_argument', new RegExp(`${missing.replace(/[/\\.]/g, '\\$&')}.*no such file`)));
    });

    test('a missing weight shard names its path', async () => {
      const { modelJsonPath, weightsPath } = await saveNetwork(initNetwork(mlpSpec(4, [3], 2), 1), path.join(tmp, 'missing-shard'));
      fs.rmSync(weightsPath);
      await assert.rejects(loadNetwork(modelJsonPath), expectError('invalid_argument', /missing-shard\/weights\.bin.*no such file/));
    });

    test('a weight path leaving the model folder is refused', async () => {
      const { modelJsonPath } = await saveNetwork(initNetwork(mlpSpec(4, [3], 2), 1), path.join(tmp, 'escape'));
      const json = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8'));
      json.weightsManifest[0].paths = ['../elsewhere/weights.bin'];
      fs.writeFileSync(modelJsonPath, JSON.stringify(json));
      await assert.rejects(loadNetwork(modelJsonPath), expectError('invalid_argument', /elsewhere.*inside/));
    });

    test('truncated weights, a missing weight and a wrong shape are typed errors', () => {
      const files = networkToModelArtifacts(initNetwork(mlpSpec(4, [3], 2), 1));
      assert.throws(
        () => networkFromModelArtifacts({ ...files, weightData: files.weightData.subarray(0, files.weightData.length - 4) }),
        expectError('invalid_argument', /too short/),
      );
      const group = files.modelJson.weightsManifest[0]!;
      const renamed = { ...files.modelJson, weightsManifest: [{ ...group, weights: group.weights.map((w) => ({ ...w, name: w.name.replace('dense_1/bias', 'other/bias') })) }] };
      assert.throws(() => networkFromModelArtifacts({ ...files, modelJson: renamed }), expectError('invalid_argument', /dense_1\/bias/));
      const reshaped = { ...files.modelJson, weightsManifest: [{ ...group, weights: group.weights.map((w) => (w.name === 'dense_0/kernel' ? { ...w, shape: [3, 4] } : w)) }] };
      assert.throws(() => networkFromModelArtifacts({ ...files, modelJson: reshaped }), expectError('shape_mismatch', /dense_0\/kernel/));
    });

    test('NaN weights are refused', () => {
      const files = networkToModelArtifacts(initNetwork(mlpSpec(4, [3], 2), 1));
      const weightData = files.weightData.slice();
      new DataView(weightData.buffer).setFloat32(4 * 13, NaN, true); // a value of dense_0/bias (after the 4x3 kernel)
      assert.throws(() => networkFromModelArtifacts({ ...files, weightData }), expectError('non_finite', /layer 0/));
    });
  });
});
