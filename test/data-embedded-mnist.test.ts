import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { labelHistogram, loadEmbeddedMnist } from '../common/data/index.ts';

/** The mnist package's own API (CommonJS): mnist[d].get(i) is image i of digit d as a plain array. */
interface MnistPackage {
  readonly [digit: number]: { readonly length: number; get(index: number): number[] };
}
// The package ships no types; require() returns any, and this interface is the part of it we use.
const mnistPackage = createRequire(import.meta.url)('mnist') as MnistPackage;

test('embedded MNIST: 10,000 28x28x1 samples, 10 classes of about 1,000, values in [0, 1]', (t) => {
  const started = performance.now();
  const ds = loadEmbeddedMnist();
  t.diagnostic(`first load: ${(performance.now() - started).toFixed(0)} ms`);
  assert.equal(ds.count, 10_000);
  assert.deepEqual(ds.sampleShape, [28, 28, 1]);
  assert.equal(ds.images.length, 10_000 * 784);
  assert.equal(ds.numClasses, 10);
  const histogram = labelHistogram(ds);
  assert.equal(histogram.reduce((a, b) => a + b, 0), 10_000);
  for (const [digit, n] of histogram.entries()) assert.ok(n >= 800 && n <= 1200, `digit ${digit}: ${n} samples`);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < ds.images.length; i++) {
    const v = ds.images[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  assert.deepEqual([min, max], [0, 1]);
});

test('images and labels agree with the mnist package API', () => {
  const ds = loadEmbeddedMnist();
  const find = (image: readonly number[]): number[] => {
    const matches: number[] = [];
    for (let s = 0; s < ds.count; s++) {
      let same = true;
      // Start in the middle of the image, where digits differ; the borders are zero in almost all of them.
      for (let q = 0; q < 784 && same; q++) {
        const p = (392 + q) % 784;
        same = ds.images[s * 784 + p] === Math.fround(image[p]!);
      }
      if (same) matches.push(s);
    }
    return matches;
  };
  for (let digit = 0; digit < 10; digit++) {
    assert.equal(labelHistogram(ds)[digit], mnistPackage[digit]!.length, `count of digit ${digit}`);
    for (const index of [0, 1, mnistPackage[digit]!.length - 1]) {
      const matches = find(mnistPackage[digit]!.get(index));
      assert.ok(matches.length >= 1, `digit ${digit} image ${index} not found`);
      for (const s of matches) assert.equal(ds.labels[s], digit, `digit ${digit} image ${index} labelled ${ds.labels[s]}`);
    }
  }
});

test('the order is a fixed mix of classes: any prefix has many classes, and a second load is the cached set', () => {
  const ds = loadEmbeddedMnist();
  assert.equal(new Set(ds.labels.subarray(0, 100)).size, 10);
  const started = performance.now();
  assert.equal(loadEmbeddedMnist(), ds);
  assert.ok(performance.now() - started < 5);
});
