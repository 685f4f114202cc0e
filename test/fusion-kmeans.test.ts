import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { repairEmptyClusters, weightedCentroids, weightedCost, weightedKMeans, type WeightedPoints } from '../server/fusion/kmeans/index.ts';

function pointsOf(rows: number[][], weights?: number[]): WeightedPoints {
  const dimension = rows[0]!.length;
  return {
    values: Float32Array.from(rows.flat()),
    count: rows.length,
    dimension,
    weights: Float64Array.from(weights ?? rows.map(() => 1)),
  };
}

function clusterSizes(assignment: Int32Array, k: number): number[] {
  const sizes = new Array<number>(k).fill(0);
  for (const c of assignment) sizes[c]!++;
  return sizes;
}

/** Three well separated blobs in 5 dimensions, `perBlob` points each, blob b centred at 10·e_b. */
function blobs(perBlob: number, random: SeededRandom): { points: WeightedPoints; blob: number[] } {
  const rows: number[][] = [];
  const blob: number[] = [];
  for (let i = 0; i < perBlob * 3; i++) {
    const b = i % 3;
    rows.push(Array.from({ length: 5 }, (_, d) => (d === b ? 10 : 0) + 0.3 * random.normal()));
    blob.push(b);
  }
  return { points: pointsOf(rows, rows.map(() => 0.5 + random.next())), blob };
}

before(async () => {
  await initBackend();
});

describe('weighted k-means', () => {
  test('recovers well separated blobs, and the cost is the weighted squared distance to the centroids', async () => {
    const { points, blob } = blobs(6, new SeededRandom(1));
    const result = await weightedKMeans(points, 3, {}, new SeededRandom(2));
    // Same partition as the blobs, up to renaming the clusters.
    for (let i = 0; i < points.count; i++) {
      for (let j = 0; j < points.count; j++) {
        assert.equal(result.assignment[i] === result.assignment[j], blob[i] === blob[j]);
      }
    }
    const centroids = weightedCentroids(points, result.assignment, 3);
    assert.ok(Math.abs(result.cost - weightedCost(points, result.assignment, centroids)) < 1e-9);
    assert.equal(result.runs.length, 3);
    assert.equal(result.cost, Math.min(...result.runs.map((r) => r.cost)));
  });

  test('matches the brute-force optimum on a small clustered problem', async () => {
    const random = new SeededRandom(3);
    const { points } = blobs(2, random); // 6 points, 3 clusters: 3^6 assignments
    const result = await weightedKMeans(points, 3, { restarts: 2 }, new SeededRandom(4));
    let best = Infinity;
    const a = new Int32Array(points.count);
    for (let code = 0; code < 3 ** points.count; code++) {
      let c = code;
      for (let i = 0; i < points.count; i++, c = Math.floor(c / 3)) a[i] = c % 3;
      if (clusterSizes(a, 3).some((s) => s === 0)) continue;
      best = Math.min(best, weightedCost(points, a, weightedCentroids(points, a, 3)));
    }
    assert.ok(Math.abs(result.cost - best) < 1e-6 * (1 + best), `k-means ${result.cost} vs brute force ${best}`);
  });

  test('never returns an empty cluster, even with more identical points than clusters', async () => {
    const cases: { rows: number[][]; k: number; options: object }[] = [
      { rows: Array.from({ length: 10 }, () => [1, 2, 3]), k: 4, options: {} },
      // Two distinct positions, three copies each, five clusters: duplicates must be split.
      { rows: [...Array.from({ length: 3 }, () => [0, 0]), ...Array.from({ length: 3 }, () => [5, 5])], k: 5, options: {} },
      // Early stop after one iteration must not skip the repair.
      { rows: [...Array.from({ length: 4 }, () => [0, 0]), [1, 1], [1, 1]], k: 6, options: { maxIterations: 1, restarts: 1 } },
    ];
    for (const { rows, k, options } of cases) {
      const points = pointsOf(rows);
      const result = await weightedKMeans(points, k, options, new SeededRandom(5));
      const sizes = clusterSizes(result.assignment, k);
      assert.ok(sizes.every((s) => s >= 1), `sizes ${sizes.join(',')} for k = ${k}`);
      assert.ok(result.cost < 1e-6, 'duplicates split at no cost');
    }
  });

  test('a point with importance far above the rest pulls its centroid onto itself', async () => {
    const random = new SeededRandom(6);
    const rows = Array.from({ length: 8 }, () => [random.normal(), random.normal(), random.normal()]);
    const weights = rows.map(() => 1);
    weights[5] = 1e7;
    const result = await weightedKMeans(pointsOf(rows, weights), 1, {}, new SeededRandom(7));
    const heavy = rows[5]!;
    for (let d = 0; d < 3; d++) assert.ok(Math.abs(result.centroids[d]! - heavy[d]!) < 1e-5);
    // With uniform weights the centroid is the plain mean, far from that point.
    const plain = await weightedKMeans(pointsOf(rows), 1, {}, new SeededRandom(7));
    assert.ok(Math.abs(plain.centroids[0]! - heavy[0]!) + Math.abs(plain.centroids[1]! - heavy[1]!) > 1e-2);
  });

  test('is deterministic for a seed and draws the first centroid from the pool', async () => {
    const { points } = blobs(10, new SeededRandom(8));
    const a = await weightedKMeans(points, 7, { restarts: 4 }, new SeededRandom(9), 5);
    const b = await weightedKMeans(points, 7, { restarts: 4 }, new SeededRandom(9), 5);
    assert.deepEqual(a.assignment, b.assignment);
    assert.equal(a.cost, b.cost);
  });

  test('stops early after `patience` stalled iterations and respects maxIterations', async () => {
    const random = new SeededRandom(10);
    const rows = Array.from({ length: 300 }, () => [random.normal(), random.normal()]);
    const capped = await weightedKMeans(pointsOf(rows), 20, { restarts: 1, maxIterations: 2 }, new SeededRandom(11));
    assert.ok(capped.iterations <= 2);
    const loose = await weightedKMeans(pointsOf(rows), 20, { restarts: 1, minRelativeImprovement: 0.99, patience: 1 }, new SeededRandom(11));
    assert.ok(loose.iterations <= 2, `stalled after ${loose.iterations}`);
    const strict = await weightedKMeans(pointsOf(rows), 20, { restarts: 1, minRelativeImprovement: 0 }, new SeededRandom(11));
    assert.ok(strict.iterations > loose.iterations);
    assert.ok(strict.cost <= loose.cost + 1e-9);
  });

  test('frees every tensor it creates', async () => {
    const { points } = blobs(5, new SeededRandom(12));
    const before = tf.memory().numTensors;
    await weightedKMeans(points, 4, {}, new SeededRandom(13));
    assert.equal(tf.memory().numTensors, before);
  });

  test('rejects bad input with typed errors', async () => {
    const points = pointsOf([[0], [1]]);
    await assert.rejects(weightedKMeans(points, 3, {}, new SeededRandom(1)), { code: 'invalid_argument' });
    await assert.rejects(weightedKMeans(pointsOf([[0], [1]], [1, Number.NaN]), 1, {}, new SeededRandom(1)), { code: 'non_finite' });
    await assert.rejects(weightedKMeans(pointsOf([[0], [1]], [1, 0]), 1, {}, new SeededRandom(1)), { code: 'invalid_argument' });
    await assert.rejects(weightedKMeans(points, 1, { restarts: 0 }, new SeededRandom(1)), { code: 'invalid_argument' });
  });
});

describe('empty-cluster repair', () => {
  test('moves the farthest point of a shared cluster into each empty cluster', () => {
    const assignment = Int32Array.from([0, 0, 0, 2]);
    const distances = Float64Array.from([0.1, 3, 0.2, 0]);
    assert.equal(repairEmptyClusters(assignment, distances, 3), 1);
    assert.deepEqual([...assignment], [0, 1, 0, 2]);
    assert.equal(distances[1], 0);
  });

  test('never takes the only point of a cluster', () => {
    const assignment = Int32Array.from([0, 1, 1]);
    const distances = Float64Array.from([100, 0, 0]);
    repairEmptyClusters(assignment, distances, 3);
    assert.equal(assignment[0], 0);
    assert.deepEqual(clusterSizes(assignment, 3), [1, 1, 1]);
  });
});
