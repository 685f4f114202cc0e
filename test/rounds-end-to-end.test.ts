import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { batchOf, disposeNetworkTensors, forwardProbabilities, toNetworkTensors } from '../common/model/index.ts';
import { decodeModelBlob } from '../server/rounds/index.ts';
import { smallMnistSplit, startClient, startTestServer } from './rounds-fixtures.ts';

test('three clients complete three rounds of kf-linear; each round is evaluated and its model served over HTTP', { timeout: 180_000 }, async () => {
  const t = await startTestServer({ rounds: 3, minClients: 3 });
  const clients = await Promise.all([0, 1, 2].map((i) => startClient(t.url, i)));
  try {
    await t.waitFor((e) => e.type === 'runFinished', 150_000);
    const run = (await t.store.latestRun())!;
    assert.equal(run.state, 'finished');
    assert.equal(run.currentRound, 3);
    const rounds = (await t.store.listRounds(run.id));
    assert.deepEqual(rounds.map((r) => [r.round, r.state, r.aggregator]), [
      [1, 'done', 'kf-linear'],
      [2, 'done', 'kf-linear'],
      [3, 'done', 'kf-linear'],
    ]);
    for (const r of rounds) {
      assert.equal((await t.store.listUpdates(run.id, r.round)).length, 3, `round ${r.round} has every client's update`);
    }
    const evaluations = (await t.store.listEvaluations(run.id));
    assert.deepEqual(evaluations.map((e) => e.round), [1, 2, 3]);
    for (const e of evaluations) {
      assert.equal(e.samples, smallMnistSplit().test.count);
      assert.ok(e.accuracy > 0.1, `round ${e.round} accuracy ${e.accuracy} is better than chance`);
    }
    // Every client received the final model, flagged final.
    for (const { client } of clients) {
      await client.whenRunFinished();
      assert.equal(client.latestGlobalModel()?.round, 3);
    }
    // The HTTP route serves round 2's model to the stock TF.js loader with the stored predictions.
    const stored = decodeModelBlob((await t.store.getGlobalModel(run.id, 2))!.model);
    const loaded = await tf.loadLayersModel(`${t.url}/api/rounds/2/model/model.json`);
    const test = smallMnistSplit().test;
    const x = batchOf(stored.spec, test.images.subarray(0, 50 * 784), 50);
    const weights = toNetworkTensors(stored);
    const ours = forwardProbabilities(weights, x);
    const theirs = loaded.predict(x) as tf.Tensor;
    const diff = tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]!;
    assert.ok(diff < 1e-5, `predictions differ by ${diff}`);
    tf.dispose([x, ours, theirs]);
    disposeNetworkTensors(weights);
    loaded.dispose();
  } finally {
    for (const { client } of clients) client.close();
    await t.close();
  }
});
