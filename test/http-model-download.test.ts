import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { disposeNetworkTensors, forwardProbabilities, initNetwork, networkToModelArtifacts, toNetworkTensors, type LayersModelFiles, type Network } from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { GlobalModelFilesCache } from '../server/http/index.ts';
import { SPEC, assertJsonError, encodeModel, fetchJson, rawGet, seedRuns, startApi, type RunningApi, type SeededRuns } from './http-fixtures.ts';

const BATCH = 5;

function randomInputs(inputSize: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  return Float32Array.from({ length: BATCH * inputSize }, () => 2 * rng.next() - 1);
}

/** Loads `url` with the stock tf.loadLayersModel and returns its predictions next to forwardProbabilities on `net`. */
async function predictBoth(url: string, net: Network, fetchFunc?: typeof fetch): Promise<{ loaded: Float32Array; expected: Float32Array }> {
  const model = await tf.loadLayersModel(url, fetchFunc === undefined ? undefined : { fetchFunc });
  const inputSize = net.spec.inputShape[0]!;
  const x = tf.tensor2d(randomInputs(inputSize, 7), [BATCH, inputSize]);
  const weights = toNetworkTensors(net);
  try {
    const predicted = model.predict(x) as tf.Tensor;
    const reference = forwardProbabilities(weights, x);
    const [loaded, expected] = await Promise.all([predicted.data() as Promise<Float32Array>, reference.data() as Promise<Float32Array>]);
    tf.dispose([predicted, reference]);
    return { loaded, expected };
  } finally {
    x.dispose();
    disposeNetworkTensors(weights);
    model.dispose();
  }
}

function assertClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `value ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('global models over HTTP in the TF.js Layers format', () => {
  let api: RunningApi;
  let seeded: SeededRuns;
  before(async () => {
    await initBackend();
    api = await startApi({
      seed: (store) => {
        seeded = seedRuns(store);
      },
    });
  });
  after(() => api.close());

  for (const round of [0, 1, 2]) {
    test(`stock tf.loadLayersModel loads round ${round}'s global model and predicts like forwardProbabilities`, async () => {
      const { loaded, expected } = await predictBoth(`${api.url}/api/rounds/${round}/model/model.json`, seeded.mainModels.get(round)!);
      assertClose(loaded, expected);
    });
  }

  test('the rounds are different models (the comparison above can tell them apart)', async () => {
    const { loaded } = await predictBoth(`${api.url}/api/rounds/1/model/model.json`, seeded.mainModels.get(1)!);
    const { expected: round2 } = await predictBoth(`${api.url}/api/rounds/2/model/model.json`, seeded.mainModels.get(2)!);
    assert.ok(loaded.some((v, i) => Math.abs(v - round2[i]!) > 1e-3));
  });

  test('model.json names weights.bin relatively, and weights.bin holds exactly the converted weights', async () => {
    const res = await fetchJson(`${api.url}/api/rounds/2/model/model.json`);
    assert.equal(res.status, 200);
    const expected = networkToModelArtifacts(seeded.mainModels.get(2)!);
    assert.deepEqual(res.body, JSON.parse(JSON.stringify(expected.modelJson)));
    const weights = await fetch(`${api.url}/api/rounds/2/model/weights.bin`);
    assert.equal(weights.status, 200);
    assert.equal(weights.headers.get('content-type'), 'application/octet-stream');
    assert.deepEqual(new Uint8Array(await weights.arrayBuffer()), expected.weightData);
  });

  // Regression: latest's manifest pointed at '../../2/model/weights.bin', so a downloaded copy could not load.
  test('latest loads the newest global model, with a self-contained manifest and the round in a header', async () => {
    const res = await fetch(`${api.url}/api/rounds/latest/model/model.json`);
    assert.equal(res.headers.get('x-fedfuse-round'), '2');
    const manifest = ((await res.json()) as tf.io.ModelJSON).weightsManifest;
    assert.deepEqual(
      manifest.map((g) => g.paths),
      [['weights.bin']],
    );
    const { loaded, expected } = await predictBoth(`${api.url}/api/rounds/latest/model/model.json`, seeded.mainModels.get(2)!);
    assertClose(loaded, expected);
    const latestWeights = new Uint8Array(await (await fetch(`${api.url}/api/rounds/latest/model/weights.bin`)).arrayBuffer());
    assert.deepEqual(latestWeights, networkToModelArtifacts(seeded.mainModels.get(2)!).weightData);
  });

  for (const round of [0, 1, 2]) {
    test(`training-model of round ${round} loads the model round ${round + 1} trains from (the served one unless stored apart)`, async () => {
      const { loaded, expected } = await predictBoth(`${api.url}/api/rounds/${round}/training-model/model.json`, seeded.mainTrainingModels.get(round)!);
      assertClose(loaded, expected);
      const weights = new Uint8Array(await (await fetch(`${api.url}/api/rounds/${round}/training-model/weights.bin`)).arrayBuffer());
      assert.deepEqual(weights, networkToModelArtifacts(seeded.mainTrainingModels.get(round)!).weightData);
    });
  }

  test('a separate training model is another model than the served one, and latest gives it too', async () => {
    const served = new Uint8Array(await (await fetch(`${api.url}/api/rounds/2/model/weights.bin`)).arrayBuffer());
    const training = new Uint8Array(await (await fetch(`${api.url}/api/rounds/2/training-model/weights.bin`)).arrayBuffer());
    assert.notDeepEqual(training, served);
    const res = await fetchJson(`${api.url}/api/rounds/latest/training-model/model.json`);
    assert.deepEqual((res.body as tf.io.ModelJSON).weightsManifest.map((g) => g.paths), [['weights.bin']]);
    const { loaded, expected } = await predictBoth(`${api.url}/api/rounds/latest/training-model/model.json`, seeded.mainTrainingModels.get(2)!);
    assertClose(loaded, expected);
    const latestWeights = new Uint8Array(await (await fetch(`${api.url}/api/rounds/latest/training-model/weights.bin`)).arrayBuffer());
    assert.deepEqual(latestWeights, training);
    // And the served model is still what the round's model route gives after the training model was cached.
    assert.deepEqual(new Uint8Array(await (await fetch(`${api.url}/api/rounds/2/model/weights.bin`)).arrayBuffer()), served);
  });

  test('?run=ID serves another run\'s model, and tfjs keeps the query for weights.bin', async () => {
    const requested: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      requested.push(String(input));
      return fetch(input, init);
    };
    const { loaded, expected } = await predictBoth(`${api.url}/api/rounds/1/model/model.json?run=run-old`, seeded.oldModel1, recordingFetch);
    assertClose(loaded, expected);
    assert.deepEqual(requested, [`${api.url}/api/rounds/1/model/model.json?run=run-old`, `${api.url}/api/rounds/1/model/weights.bin?run=run-old`]);
  });

  const missing: [string, number, string][] = [
    ['/api/rounds/3/model/model.json', 404, 'not_found'],
    ['/api/rounds/3/training-model/model.json', 404, 'not_found'],
    ['/api/rounds/3/training-model/weights.bin', 404, 'not_found'],
    ['/api/rounds/x/training-model/weights.bin', 400, 'invalid_argument'],
    ['/api/rounds/3/model/weights.bin', 404, 'not_found'],
    ['/api/rounds/99/model/weights.bin', 404, 'not_found'],
    ['/api/rounds/2/model/model.json?run=run-old', 404, 'not_found'],
    ['/api/rounds/-1/model/model.json', 400, 'invalid_argument'],
    ['/api/rounds/..%2F..%2Fetc%2Fpasswd/model/model.json', 400, 'invalid_argument'],
    ['/api/rounds/..%2F..%2Fpackage.json%23/model/weights.bin', 400, 'invalid_argument'],
    // fetch's URL parser reads %2e%2e as '..' and sends /api/model/weights.bin; the raw form is tested below.
    ['/api/rounds/%2e%2e/model/weights.bin', 404, 'not_found'],
    ['/api/rounds/latest%00/model/model.json', 400, 'invalid_argument'],
    ['/api/rounds/2/model/other.bin', 404, 'not_found'],
    ['/api/rounds/2/model/..%2F..%2F..%2Fpackage.json', 404, 'not_found'],
  ];
  for (const [path, status, code] of missing) {
    test(`GET ${path} -> ${status} ${code} as JSON`, async () => {
      assertJsonError(await fetchJson(`${api.url}${path}`), status, code);
    });
  }

  test('an encoded ".." round, sent raw, is refused as a round number (400), and literal ../ segments match no route (404)', async () => {
    assertJsonError(await rawGet(api.url, '/api/rounds/%2e%2e/model/weights.bin'), 400, 'invalid_argument');
    assertJsonError(await rawGet(api.url, '/api/rounds/%2E%2E%2F%2E%2E%2Fpackage.json/model/model.json'), 400, 'invalid_argument');
    assertJsonError(await rawGet(api.url, '/api/rounds/1/model/../../../../package.json'), 404, 'not_found');
    assertJsonError(await rawGet(api.url, '/api/rounds/1/../../x/model/weights.bin'), 404, 'not_found');
  });
});

describe('latest while a round completes', () => {
  // The manifest names 'weights.bin' beside it (self-contained), so a round completing between the two fetches gives
  // the newer round's weights: a whole model of that round, since every round of a run has the run's one topology.
  test('a round completing between model.json and weights.bin gives the newer round whole', async () => {
    await initBackend();
    let seeded: SeededRuns | undefined;
    const api = await startApi({
      seed: (store) => {
        seeded = seedRuns(store);
      },
    });
    try {
      const round3 = initNetwork(SPEC, 4);
      // The stock loader, with a fetch that lets round 3 complete right after model.json arrives.
      const completingFetch: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (String(input).endsWith('/model.json')) {
          api.store.completeRound('run-main', 3, { globalModel: encodeModel(round3), aggregator: 'mean', fusionSeconds: 0.1, metrics: {} });
        }
        return res;
      };
      const { loaded, expected } = await predictBoth(`${api.url}/api/rounds/latest/model/model.json`, round3, completingFetch);
      assertClose(loaded, expected);
      // And the next load sees round 3.
      const next = await predictBoth(`${api.url}/api/rounds/latest/model/model.json`, round3);
      assertClose(next.loaded, next.expected);
    } finally {
      await api.close();
    }
  });
});

describe('a stored global model that does not decode', () => {
  test('is a 500 internal JSON error naming the model, never a crash or a 400', async () => {
    const api = await startApi({
      seed: (store) => {
        store.createRun({ id: 'run-bad', config: {}, modelSpec: SPEC, createdAt: 1 });
        store.saveGlobalModel('run-bad', 0, new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]));
      },
    });
    try {
      const message = assertJsonError(await fetchJson(`${api.url}/api/rounds/0/model/model.json`), 500, 'internal');
      assert.match(message, /global model 0 of run "run-bad" cannot be decoded/);
      assertJsonError(await fetchJson(`${api.url}/api/rounds/0/model/weights.bin`), 500, 'internal');
    } finally {
      await api.close();
    }
  });
});

describe('GlobalModelFilesCache', () => {
  const files = (n: number): LayersModelFiles => networkToModelArtifacts(initNetwork(SPEC, n));

  test('loads each (run, round) once and returns the same files afterwards', async () => {
    const cache = new GlobalModelFilesCache(4);
    let loads = 0;
    const load = async (): Promise<LayersModelFiles> => {
      loads++;
      return files(1);
    };
    const first = await cache.get('run', 1, load);
    assert.equal(await cache.get('run', 1, load), first);
    assert.equal(loads, 1);
    assert.notEqual(await cache.get('other-run', 1, load), first);
    assert.notEqual(await cache.get('run', 2, load), first);
    assert.equal(loads, 3);
  });

  test('does not cache a missing model, which may be stored later', async () => {
    const cache = new GlobalModelFilesCache(4);
    assert.equal(await cache.get('run', 1, async () => undefined), undefined);
    assert.equal(cache.size, 0);
    const later = files(2);
    assert.equal(await cache.get('run', 1, async () => later), later);
  });

  test('evicts the least recently used entry beyond its capacity', async () => {
    const cache = new GlobalModelFilesCache(2);
    const loads: number[] = [];
    const load = (n: number) => async (): Promise<LayersModelFiles> => {
      loads.push(n);
      return files(n);
    };
    await cache.get('run', 1, load(1));
    await cache.get('run', 2, load(2));
    await cache.get('run', 1, load(1)); // 1 is now the most recently used
    await cache.get('run', 3, load(3)); // evicts 2
    assert.equal(cache.size, 2);
    await cache.get('run', 1, load(1));
    await cache.get('run', 2, load(2));
    assert.deepEqual(loads, [1, 2, 3, 2]);
  });

  test('the served and the training model of a round are cached apart', async () => {
    const cache = new GlobalModelFilesCache(4);
    const served = files(1);
    const training = files(2);
    assert.equal(await cache.get('run', 1, async () => served), served);
    assert.equal(await cache.get('run', 1, async () => training, 'training'), training);
    assert.equal(await cache.get('run', 1, async () => files(3)), served);
  });

  test('a run id cannot collide with another (run, round) key', async () => {
    const cache = new GlobalModelFilesCache(4);
    const a = files(1);
    await cache.get('a",1', 2, async () => a);
    assert.notEqual(await cache.get('a', 1, async () => files(2)), a);
  });
});
