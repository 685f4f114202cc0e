import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDatasetSource, loadEmbeddedMnist } from '../common/data/index.ts';

/** `<source>:N` and `<source>:A-B` (common/data/dataset-source.ts), on the embedded digits. */

test('mnist:A-B takes samples A to B-1, in order', () => {
  const all = loadEmbeddedMnist();
  const part = loadDatasetSource('mnist:9000-10000');
  assert.equal(part.count, 1000);
  assert.equal(part.name, `${all.name}:9000-10000`);
  const size = all.images.length / all.count;
  assert.deepEqual(part.labels, all.labels.slice(9000, 10000));
  assert.deepEqual(part.images.slice(0, size), all.images.slice(9000 * size, 9001 * size));
});

test('mnist:N is still the first N; a range past the end is cut at the end', () => {
  const all = loadEmbeddedMnist();
  assert.deepEqual(loadDatasetSource('mnist:5').labels, all.labels.slice(0, 5));
  assert.equal(loadDatasetSource('mnist:9990-20000').count, all.count - 9990);
});

test('empty or backward ranges and a start past the end are one clear error', () => {
  assert.throws(() => loadDatasetSource('mnist:5-5'), /data set "mnist:5-5": a range A-B needs A < B/);
  assert.throws(() => loadDatasetSource('mnist:0'), /the sample count must be at least 1/);
  assert.throws(() => loadDatasetSource('mnist:20000-20001'), /has 10000 samples, none from 20000 on/);
});
