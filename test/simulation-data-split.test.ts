import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDataset, type Dataset } from '../common/data/index.ts';
import { splitSimulationData, type SimulationData } from '../server/simulation/simulation-data.ts';

/** Sample i's single feature is its identity (train: i, test: 10,000 + i), so where each sample went can be read back. */
function numbered(name: string, count: number, offset: number): Dataset {
  return makeDataset({
    name,
    images: Float32Array.from({ length: count }, (_, i) => offset + i),
    labels: Int32Array.from({ length: count }, (_, i) => i % 4),
    count,
    sampleShape: [1],
    numClasses: 4,
  });
}

const data: SimulationData = { name: 'numbered', train: numbered('train', 400, 0), test: numbered('test', 200, 10_000) };
const ids = (d: Dataset): number[] => Array.from(d.images);

test('--calibration-from test: every training sample goes to a client; calibration and test are disjoint, class-balanced parts of the test split', () => {
  const split = splitSimulationData(data, { clients: 4, scheme: { kind: 'iid' }, calibrationSize: 40, testSize: 100, clientSamples: null, calibrationFrom: 'test', seed: 3 });
  const dealt = split.clients.flatMap(ids).sort((a, b) => a - b);
  assert.deepEqual(dealt, Array.from({ length: 400 }, (_, i) => i));
  const calibration = ids(split.calibration);
  const testIds = ids(split.test);
  assert.equal(calibration.length, 40);
  assert.equal(testIds.length, 100);
  assert.ok([...calibration, ...testIds].every((v) => v >= 10_000), 'both from the test split');
  assert.equal(new Set([...calibration, ...testIds]).size, 140, 'disjoint');
  const perClass = [0, 1, 2, 3].map((c) => Array.from(split.calibration.labels).filter((l) => l === c).length);
  assert.deepEqual(perClass, [10, 10, 10, 10]);
});

test('--calibration-from train (the default): calibration is carved from the training split, the test set from the test split', () => {
  const split = splitSimulationData(data, { clients: 4, scheme: { kind: 'iid' }, calibrationSize: 40, testSize: 100, clientSamples: null, seed: 3 });
  assert.ok(ids(split.calibration).every((v) => v < 10_000));
  assert.equal(split.clients.flatMap(ids).length, 360);
  assert.ok(ids(split.test).every((v) => v >= 10_000));
});

test('--calibration-from test caps the test set at what the calibration leaves', () => {
  const split = splitSimulationData(data, { clients: 2, scheme: { kind: 'iid' }, calibrationSize: 40, testSize: 10_000, clientSamples: null, calibrationFrom: 'test', seed: 1 });
  assert.equal(split.test.count, 160);
});
