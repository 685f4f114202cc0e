import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import {
  batchOf,
  disposeNetworkTensors,
  forwardLogits,
  forwardProbabilities,
  initNetwork,
  loadNetwork,
  mlpSpec,
  modelFilesIOHandler,
  networkFromLayersModel,
  networkFromModelArtifacts,
  networkToLayersModel,
  networkToModelArtifacts,
  saveNetwork,
  smallCnnSpec,
  toNetworkTensors,
  type ModelFilesSlot,
  type ModelSpec,
  type Network,
} from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';

function randomInputs(spec: ModelSpec, n: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  return Float32Array.from({ length: n * spec.inputShape.reduce((a, b) => a * b, 1) }, () => rng.next());
}

function withoutBiases(spec: ModelSpec): ModelSpec {
  return { ...spec, layers: spec.layers.map((l) => (l.kind === 'dense' || l.kind === 'conv2d' ? { ...l, useBias: false } : l)) };
}

function withRandomBiases(net: Network, seed: number): Network {
  const rng = new SeededRandom(seed);
  return { ...net, layers: net.layers.map((l) => ({ ...l, bias: l.bias === null ? null : l.bias.map(() => rng.next() - 0.5) })) };
}

/** Our functional forward pass: probabilities for a softmax model, logits otherwise. */
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

function assertSameNetwork(actual: Network, expected: Network): void {
  assert.deepEqual(actual.spec, expected.spec);
  assert.equal(actual.layers.length, expected.layers.length);
  actual.layers.forEach((layer, l) => {
    assert.deepEqual([...layer.kernelShape], [...expected.layers[l]!.kernelShape]);
    assert.deepEqual(layer.kernel, expected.layers[l]!.kernel);
    assert.deepEqual(layer.bias, expected.layers[l]!.bias);
  });
}

/** Serves the files of `dir` over HTTP on a free port; what users do to load a model with tfjs. */
async function serveDirectory(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.basename(new URL(req.url ?? '/', 'http://x').pathname));
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('TF.js Layers format', () => {
  let tmp: string;
  before(async () => {
    await initBackend();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedfuse-model-format-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const cases: Array<[string, ModelSpec]> = [
    ['MLP', mlpSpec(16, [12, 8], 5)],
    ['CNN', smallCnnSpec([8, 8, 1], [3, 4], 4)],
    ['linear-output MLP without biases', withoutBiases({ ...mlpSpec(7, [6], 3), outputActivation: 'linear' })],
  ];

  for (const [name, spec] of cases) {
    test(`${name}: saved files load with the stock tf.loadLayersModel over HTTP and predict the same`, async () => {
      const net = withRandomBiases(initNetwork(spec, 31), 32);
      const dir = path.join(tmp, `http-${name.replace(/\W+/g, '-')}`);
      await saveNetwork(net, dir);
      const server = await serveDirectory(dir);
      try {
        // Node 20 has a global fetch, which tfjs's http loader uses (no node-fetch or fetchFunc needed).
        const model = await tf.loadLayersModel(`${server.url}/model.json`);
        const x = randomInputs(spec, 5, 33);
        assertClose(await modelOutputs(model, spec, x, 5), await ourOutputs(net, x, 5), 1e-5);
        model.dispose();
      } finally {
        await server.close();
      }
    });

    test(`${name}: saveNetwork -> loadNetwork and artifacts -> network give back the same network`, async () => {
      const net = withRandomBiases(initNetwork(spec, 41), 42);
      const dir = path.join(tmp, `disk-${name.replace(/\W+/g, '-')}`);
      const { modelJsonPath } = await saveNetwork(net, dir);
      assertSameNetwork(await loadNetwork(modelJsonPath), net);
      assertSameNetwork(networkFromModelArtifacts(networkToModelArtifacts(net)), net);
    });
  }

  test('model.json has the standard layers-model fields', async () => {
    const { modelJsonPath, weightsPath } = await saveNetwork(initNetwork(mlpSpec(4, [3], 2), 1), path.join(tmp, 'fields'));
    const json = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.equal(typeof json.generatedBy, 'string');
    assert.equal(json.convertedBy, null);
    assert.equal(json.modelTopology.class_name, 'Sequential');
    assert.deepEqual(json.weightsManifest.map((g: { paths: string[] }) => g.paths), [['weights.bin']]);
    // 4x3 + 3 + 3x2 + 2 floats
    assert.equal(fs.statSync(weightsPath).size, 4 * (12 + 3 + 6 + 2));
  });

  test('the in-memory IOHandler saves a LayersModel and loads it back with tf.loadLayersModel', async () => {
    const spec = smallCnnSpec([6, 6, 2], [3], 3);
    const net = withRandomBiases(initNetwork(spec, 51), 52);
    const model = networkToLayersModel(net);
    const slot: ModelFilesSlot = { files: null };
    await model.save(modelFilesIOHandler(slot));
    assert.ok(slot.files !== null);
    assertSameNetwork(networkFromModelArtifacts(slot.files), net);

    const loaded = await tf.loadLayersModel(modelFilesIOHandler({ files: networkToModelArtifacts(net) }));
    const x = randomInputs(spec, 3, 53);
    assertClose(await modelOutputs(loaded, spec, x, 3), await modelOutputs(model, spec, x, 3), 1e-6);
    assertSameNetwork(await networkFromLayersModel(loaded), net);
    model.dispose();
    loaded.dispose();
  });

  test('weights given as a view at an odd offset of a larger buffer load correctly', async () => {
    const net = withRandomBiases(initNetwork(mlpSpec(5, [4], 3), 61), 62);
    const files = networkToModelArtifacts(net);
    const padded = new Uint8Array(files.weightData.byteLength + 3);
    padded.set(files.weightData, 1);
    const view = padded.subarray(1, 1 + files.weightData.byteLength);
    assertSameNetwork(networkFromModelArtifacts({ modelJson: files.modelJson, weightData: view }), net);
    const model = await tf.loadLayersModel(modelFilesIOHandler({ files: { modelJson: files.modelJson, weightData: view } }));
    assertSameNetwork(await networkFromLayersModel(model), net);
    model.dispose();
  });

  test('saving and loading through tfjs leaks no tensors', async () => {
    const net = initNetwork(mlpSpec(5, [4], 3), 71);
    const before = tf.memory().numTensors;
    const model = await tf.loadLayersModel(modelFilesIOHandler({ files: networkToModelArtifacts(net) }));
    await networkFromLayersModel(model);
    model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
