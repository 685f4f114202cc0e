import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFedfuseError } from '../common/errors/index.ts';
import { isLabeled, labelHistogram, makeDataset, subset, UNLABELED, type Dataset } from '../common/data/index.ts';

/** 5 samples of shape [2, 1]; sample i holds the values 10*i and 10*i + 1. */
function tiny(labels: number[] = [2, 0, 1, 2, 2]): Dataset {
  const images = Float32Array.from({ length: 10 }, (_, k) => 10 * Math.floor(k / 2) + (k % 2));
  return makeDataset({ name: 'tiny', images, labels: Int32Array.from(labels), count: 5, sampleShape: [2, 1], numClasses: 3 });
}

test('subset copies the rows and labels at the given indices, in that order, repeats allowed', () => {
  const ds = tiny();
  const sub = subset(ds, [4, 1, 4]);
  assert.equal(sub.count, 3);
  assert.deepEqual([...sub.images], [40, 41, 10, 11, 40, 41]);
  assert.deepEqual([...sub.labels], [2, 0, 2]);
  assert.deepEqual(sub.sampleShape, [2, 1]);
  assert.equal(sub.numClasses, 3);
  sub.images[0] = -1;
  assert.equal(ds.images[8], 40, 'the subset is a copy');
  assert.equal(subset(ds, [], 'none').count, 0);
  assert.throws(() => subset(ds, [5]), (e) => isFedfuseError(e, 'invalid_argument'));
  assert.throws(() => subset(ds, [-1]), (e) => isFedfuseError(e, 'invalid_argument'));
});

test('labelHistogram counts each class and skips unlabelled samples', () => {
  assert.deepEqual(labelHistogram(tiny()), [1, 1, 3]);
  const partly = tiny([UNLABELED, 0, UNLABELED, 2, 2]);
  assert.deepEqual(labelHistogram(partly), [1, 0, 2]);
  assert.equal(isLabeled(partly), false);
  assert.equal(isLabeled(tiny()), true);
});

test('makeDataset rejects arrays that disagree with count, shape or numClasses', () => {
  const base = tiny();
  const bad = (fields: Partial<Dataset>): void =>
    assert.throws(() => makeDataset({ ...base, ...fields }), (e) => isFedfuseError(e, 'invalid_argument'));
  bad({ count: 4 });
  bad({ sampleShape: [3] });
  bad({ sampleShape: [2, 0] });
  bad({ labels: Int32Array.from([0, 0, 0, 0]) });
  bad({ labels: Int32Array.from([0, 0, 3, 0, 0]) });
  bad({ labels: Int32Array.from([0, 0, -2, 0, 0]) });
  bad({ numClasses: -1 });
});
