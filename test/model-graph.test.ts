import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { isFedfuseError } from '../common/errors/index.ts';
import {
  batchOf,
  disposeNetworkTensors,
  forwardLogits,
  initNetwork,
  isChain,
  loadNetwork,
  modelFilesIOHandler,
  networkFromLayersModel,
  networkFromModelArtifacts,
  networkToLayersModel,
  networkToModelArtifacts,
  parseKerasTopology,
  saveNetwork,
  toNetworkTensors,
  validateNetwork,
  type ModelSpec,
  type Network,
} from '../common/model/index.ts';
import { networkFromProto, networkToProto } from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { everyLayerSpec, randomGraphNetwork, randomInputs, residualBatchNormSpec } from './graph-model-fixtures.ts';

/**
 * Layer graphs (functional models with residual additions, BatchNorm,
 * dropout, reshapes, depthwise convolutions, global pooling): the spec, its
 * TF.js Layers format both ways, the stock loader, and the wire.
 */

async function ourLogits(net: Network, x: Float32Array, n: number): Promise<Float32Array> {
  const weights = toNetworkTensors(net);
  const out = tf.tidy(() => forwardLogits(weights, batchOf(net.spec, x, n)));
  const values = (await out.data()) as Float32Array;
  out.dispose();
  disposeNetworkTensors(weights);
  return values;
}

/** The model's output before its final softmax: TF.js's own forward pass (inference mode). */
async function tfjsLogits(model: tf.LayersModel, spec: ModelSpec, x: Float32Array, n: number): Promise<Float32Array> {
  const probabilities = tf.tidy(() => model.predict(batchOf(spec, x, n)) as tf.Tensor);
  const values = (await probabilities.data()) as Float32Array;
  probabilities.dispose();
  return values;
}

async function softmaxOf(logits: Float32Array, classes: number): Promise<Float32Array> {
  const t = tf.tidy(() => tf.softmax(tf.tensor2d(logits, [logits.length / classes, classes])));
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: lengths`);
  for (let i = 0; i < actual.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `${what}: value ${i}: ${actual[i]} vs ${expected[i]}`);
}

/** A functional model written the way tfjs users write one: separate ReLU layers, an Add, BatchNorm, Dropout, Reshape. */
function userResidualModel(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 1] });
  const stem = tf.layers.reLU().apply(tf.layers.batchNormalization().apply(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', useBias: false }).apply(input))) as tf.SymbolicTensor;
  let branch = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(stem) as tf.SymbolicTensor;
  branch = tf.layers.batchNormalization({ scale: false }).apply(branch) as tf.SymbolicTensor;
  const added = tf.layers.add().apply([branch, stem]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(tf.layers.activation({ activation: 'relu' }).apply(added)) as tf.SymbolicTensor;
  const flat = tf.layers.reshape({ targetShape: [3] }).apply(tf.layers.dropout({ rate: 0.3 }).apply(pooled)) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 4, activation: 'softmax' }).apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  // Non-trivial weights everywhere, BatchNorm's moving variance kept positive.
  const random = model.getWeights().map((w, i) => ((w as tf.Variable).name.includes('variance') ? tf.randomUniform(w.shape, 0.5, 1.5, 'float32', 50 + i) : tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 50 + i)));
  model.setWeights(random);
  tf.dispose(random);
  return model;
}

describe('layer graphs', () => {
  let tmp: string;
  before(async () => {
    await initBackend();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedfuse-graph-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('a user-written functional model reads into a graph spec that predicts like TF.js', async () => {
    const model = userResidualModel();
    const net = await networkFromLayersModel(model);
    assert.deepEqual(
      net.spec.layers.map((l) => l.kind),
      ['conv2d', 'batchNorm', 'activation', 'conv2d', 'batchNorm', 'add', 'activation', 'globalAvgPool2d', 'dropout', 'reshape', 'dense'],
    );
    assert.deepEqual(net.spec.layers[5]!.inputs, [4, 2], 'the add reads the branch and the block input');
    // Keras writes -1 sizes as they were given: the reader resolves them.
    const json = model.toJSON(null, false) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    json.config.layers.find((l) => l.class_name === 'Reshape')!.config['target_shape'] = [-1];
    assert.deepEqual((parseKerasTopology(json).spec.layers[9] as unknown as { targetShape: number[] }).targetShape, [3], 'the -1 is resolved');
    assert.equal(net.spec.outputActivation, 'softmax');
    assert.equal(isChain(net.spec), false);
    const x = randomInputs(net.spec, 5, 1);
    assertClose(await softmaxOf(await ourLogits(net, x, 5), 4), await tfjsLogits(model, net.spec, x, 5), 1e-5, 'probabilities');
    model.dispose();
  });

  test('fedfuse writes a graph as a functional model.json that the stock loader reads and runs the same', async () => {
    const net = randomGraphNetwork(everyLayerSpec(), 3);
    validateNetwork(net);
    const files = networkToModelArtifacts(net);
    assert.equal((files.modelJson.modelTopology as { class_name: string }).class_name, 'Model');
    const loaded = await tf.loadLayersModel(modelFilesIOHandler({ files }));
    const x = randomInputs(net.spec, 4, 2);
    assertClose(await softmaxOf(await ourLogits(net, x, 4), 3), await tfjsLogits(loaded, net.spec, x, 4), 1e-5, 'stock loader');
    assert.deepEqual(networkFromModelArtifacts(files), net);
    // TF.js lists a loaded model's layers in its own topological order; the function stays the same.
    const reread = await networkFromLayersModel(loaded);
    assertClose(await ourLogits(reread, x, 4), await ourLogits(net, x, 4), 1e-6, 're-read model');
    loaded.dispose();
  });

  test('a LayersModel built from a graph network holds its weights; saved to disk and loaded back it is equal', async () => {
    const net = randomGraphNetwork(residualBatchNormSpec(), 4);
    const model = networkToLayersModel(net);
    const x = randomInputs(net.spec, 3, 5);
    assertClose(await softmaxOf(await ourLogits(net, x, 3), 3), await tfjsLogits(model, net.spec, x, 3), 1e-5, 'built model');
    model.dispose();
    const { modelJsonPath } = await saveNetwork(net, path.join(tmp, 'residual'));
    assert.deepEqual(await loadNetwork(modelJsonPath), net);
  });

  test('a chain with BatchNorm and Dropout stays a Sequential model', () => {
    const spec: ModelSpec = {
      inputShape: [6],
      layers: [
        { kind: 'dense', units: 4, activation: 'linear', useBias: true },
        { kind: 'batchNorm', epsilon: 1e-3, momentum: 0.99, center: true, scale: true },
        { kind: 'activation', activation: 'relu' },
        { kind: 'dropout', rate: 0.5 },
        { kind: 'dense', units: 2, activation: 'linear', useBias: true },
      ],
      outputActivation: 'softmax',
    };
    const net = randomGraphNetwork(spec, 6);
    const files = networkToModelArtifacts(net);
    assert.equal((files.modelJson.modelTopology as { class_name: string }).class_name, 'Sequential');
    assert.deepEqual(networkFromModelArtifacts(files), net);
  });

  test('initNetwork gives BatchNorm Keras defaults: gamma 1, beta 0, mean 0, variance 1', () => {
    const net = initNetwork(residualBatchNormSpec(2), 1);
    const bn = net.layers[1]!;
    assert.deepEqual(bn.kernelShape, [4, 2]);
    assert.deepEqual([...bn.kernel], [1, 1, 0, 0, 0, 0, 1, 1]);
    validateNetwork(net);
  });

  test('a Keras 3 functional topology (keras_history inbound nodes) reads', () => {
    const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [name, 0, 0] } });
    const topology = {
      class_name: 'Functional',
      config: {
        name: 'k3',
        layers: [
          { name: 'in', class_name: 'InputLayer', config: { batch_shape: [null, 4], name: 'in' }, inbound_nodes: [] },
          { name: 'd1', class_name: 'Dense', config: { name: 'd1', units: 4, activation: 'relu' }, inbound_nodes: [{ args: [tensor('in')], kwargs: {} }] },
          { name: 'sum', class_name: 'Add', config: { name: 'sum' }, inbound_nodes: [{ args: [[tensor('d1'), tensor('in')]], kwargs: {} }] },
          { name: 'out', class_name: 'Dense', config: { name: 'out', units: 2, activation: 'softmax' }, inbound_nodes: [{ args: [tensor('sum')], kwargs: {} }] },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
    };
    const { spec, parameterLayerNames } = parseKerasTopology(topology);
    assert.deepEqual(spec.layers.map((l) => l.kind), ['dense', 'add', 'dense']);
    assert.deepEqual(spec.layers[1]!.inputs, [0, -1]);
    assert.deepEqual(parameterLayerNames, ['d1', 'out']);
    assert.equal(spec.outputActivation, 'softmax');
  });

  test('graph specs cross the wire bit-exact; bad edges are refused with a typed error', () => {
    const net = randomGraphNetwork(everyLayerSpec(), 7);
    const bytes = fedfuse.v1.Model.encode(networkToProto(net)).finish();
    assert.deepEqual(networkFromProto(fedfuse.v1.Model.decode(bytes)), net);
    const edited = (edit: (m: fedfuse.v1.IModel) => void): (() => Network) => () => {
      const m = fedfuse.v1.Model.decode(bytes);
      edit(m);
      return networkFromProto(fedfuse.v1.Model.decode(fedfuse.v1.Model.encode(m).finish()));
    };
    const code = (c: string) => (e: unknown) => isFedfuseError(e) && e.code === c;
    assert.throws(edited((m) => { m.spec!.layers![6]!.inputs = [5, 9]; }), code('invalid_argument'), 'reading a later layer');
    assert.throws(edited((m) => { m.spec!.layers![6]!.inputs = [5]; }), code('invalid_argument'), 'an add with one input');
    assert.throws(edited((m) => { m.spec!.layers![4]!.conv2d!.strides = 1; }), code('shape_mismatch'), 'adding different shapes');
    assert.throws(edited((m) => { m.spec!.layers![9]!.dropout!.rate = 1; }), code('invalid_argument'), 'a dropout rate of 1');
  });
});
