import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { isFedfuseError } from '../common/errors/index.ts';
import {
  FASHION_MNIST_DIR,
  labelHistogram,
  loadFashionMnist,
  loadMnistIdx,
  readIdx,
  readIdxImages,
  readIdxLabels,
  writeIdx,
  type IdxArray,
} from '../common/data/index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedfuse-data-idx-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** IDX bytes built by hand from the format description: 0, 0, type code, ndim, big-endian dims, payload. */
function idxBytes(typeCode: number, dims: readonly number[], payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = typeCode;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, payload]);
}

function file(name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

/** Deterministic pseudo-random bytes. */
function someBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const isCode = (code: 'bad_message' | 'invalid_argument') => (e: unknown) => isFedfuseError(e, code);

describe('IDX reader', () => {
  const pixels = someBytes(3 * 2 * 4, 1);
  const imageBytes = idxBytes(0x08, [3, 2, 4], pixels);

  test('reads plain and gzipped image files, recognising gzip by its magic bytes rather than the name', () => {
    for (const p of [
      file('plain-images', imageBytes),
      file('gzipped-without-suffix', gzipSync(imageBytes)),
      file('plain-despite-suffix.gz', imageBytes),
      file('images.gz', gzipSync(imageBytes)),
    ]) {
      const images = readIdxImages(p);
      assert.deepEqual([images.count, images.rows, images.cols], [3, 2, 4], p);
      assert.deepEqual([...images.pixels], [...pixels], p);
    }
  });

  test('reads label files as Int32Array', () => {
    const labels = readIdxLabels(file('labels.gz', gzipSync(idxBytes(0x08, [5], Uint8Array.from([3, 0, 9, 1, 255])))));
    assert.ok(labels instanceof Int32Array);
    assert.deepEqual([...labels], [3, 0, 9, 1, 255]);
  });

  test('decodes big-endian wider types as the format defines them', () => {
    // int16 0x0102 = 258 and 0xFFFE = -2; float32 0x3FC00000 = 1.5
    assert.deepEqual([...readIdx(file('i16', idxBytes(0x0b, [2], Uint8Array.from([0x01, 0x02, 0xff, 0xfe])))).data], [258, -2]);
    assert.deepEqual([...readIdx(file('f32', idxBytes(0x0d, [1], Uint8Array.from([0x3f, 0xc0, 0, 0])))).data], [1.5]);
  });

  test('writeIdx round-trips every type, gzipped and plain, and writes what a hand-built file holds', () => {
    const arrays: IdxArray[] = [
      { dtype: 'uint8', shape: [2, 3], data: Uint8Array.from([0, 1, 127, 128, 254, 255]) },
      { dtype: 'int8', shape: [4], data: Int8Array.from([-128, -1, 0, 127]) },
      { dtype: 'int16', shape: [2, 2], data: Int16Array.from([-32768, -2, 258, 32767]) },
      { dtype: 'int32', shape: [3], data: Int32Array.from([-2147483648, 7, 2147483647]) },
      { dtype: 'float32', shape: [1, 3], data: Float32Array.from([1.5, -0.1, 3e38]) },
      { dtype: 'float64', shape: [2], data: Float64Array.from([Math.PI, -1e-300]) },
    ];
    for (const array of arrays) {
      for (const gzip of [false, true]) {
        const p = path.join(dir, `${array.dtype}-${gzip}.idx`);
        writeIdx(p, array, { gzip });
        assert.equal(fs.readFileSync(p)[0] === 0x1f, gzip);
        const back = readIdx(p);
        assert.equal(back.dtype, array.dtype);
        assert.deepEqual(back.shape, array.shape);
        assert.deepEqual([...back.data], [...array.data]);
      }
    }
    writeIdx(path.join(dir, 'written'), { dtype: 'uint8', shape: [3, 2, 4], data: pixels });
    assert.deepEqual(fs.readFileSync(path.join(dir, 'written')), imageBytes);
  });

  test('truncated, padded and malformed files are bad_message; a missing file is invalid_argument', () => {
    const bad = (name: string, bytes: Uint8Array, read: (p: string) => unknown = readIdx): void =>
      assert.throws(() => read(file(name, bytes)), isCode('bad_message'), name);
    bad('truncated-data', imageBytes.subarray(0, imageBytes.length - 1));
    bad('truncated-gzip', gzipSync(imageBytes).subarray(0, 20));
    bad('truncated-header', imageBytes.subarray(0, 9));
    bad('too-short', Uint8Array.from([0, 0]));
    bad('trailing-bytes', Buffer.concat([imageBytes, Buffer.from([0])]));
    bad('bad-magic', Buffer.concat([Buffer.from([1]), imageBytes.subarray(1)]));
    bad('unknown-type', idxBytes(0x0a, [1], Uint8Array.from([0])));
    bad('zero-dims', idxBytes(0x08, [], new Uint8Array(0)));
    bad('labels-read-as-images', idxBytes(0x08, [3], Uint8Array.from([1, 2, 3])), readIdxImages);
    bad('images-read-as-labels', imageBytes, readIdxLabels);
    assert.throws(() => readIdx(path.join(dir, 'no-such-file')), isCode('invalid_argument'));
  });
});

describe('IDX data sets', () => {
  /** An MNIST-layout directory of tiny 28x28 data written by hand. */
  function writeSplit(target: string, prefix: string, labels: readonly number[], gzip: boolean): Uint8Array {
    fs.mkdirSync(target, { recursive: true });
    const pixels = someBytes(labels.length * 28 * 28, labels.length);
    const suffix = gzip ? '.gz' : '';
    const pack = (b: Buffer): Buffer => (gzip ? gzipSync(b) : b);
    fs.writeFileSync(path.join(target, `${prefix}-images-idx3-ubyte${suffix}`), pack(idxBytes(0x08, [labels.length, 28, 28], pixels)));
    fs.writeFileSync(path.join(target, `${prefix}-labels-idx1-ubyte${suffix}`), pack(idxBytes(0x08, [labels.length], Uint8Array.from(labels))));
    return pixels;
  }

  test('loadFashionMnist reads both splits of a directory, pixels scaled to [0, 1]', () => {
    const fashion = path.join(dir, 'fashion');
    const trainPixels = writeSplit(fashion, 'train', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 0], true);
    writeSplit(fashion, 't10k', [4, 2, 2], true);
    const train = loadFashionMnist('train', fashion);
    assert.equal(train.count, 12);
    assert.deepEqual(train.sampleShape, [28, 28, 1]);
    assert.equal(train.numClasses, 10);
    assert.deepEqual([...train.labels], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 0]);
    for (let i = 0; i < trainPixels.length; i += 97) assert.equal(train.images[i], Math.fround(trainPixels[i]! / 255));
    assert.ok(train.images.some((v) => v === 1) || trainPixels.every((b) => b !== 255));
    const testSplit = loadFashionMnist('test', fashion);
    assert.deepEqual([...testSplit.labels], [4, 2, 2]);
    assert.deepEqual(labelHistogram(testSplit), [0, 0, 2, 0, 1, 0, 0, 0, 0, 0]);
  });

  test('loadMnistIdx reads uncompressed files too', () => {
    const mnist = path.join(dir, 'mnist');
    writeSplit(mnist, 'train', [7, 3], false);
    const ds = loadMnistIdx(mnist);
    assert.deepEqual([...ds.labels], [7, 3]);
    assert.equal(ds.images.length, 2 * 784);
    assert.throws(() => loadMnistIdx(mnist, 'test'), (e) => isFedfuseError(e, 'invalid_argument') && /t10k-images-idx3-ubyte/.test(e.message));
  });

  test('missing Fashion-MNIST names the Debian package', () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    assert.throws(
      () => loadFashionMnist('train', empty),
      (e) =>
        isFedfuseError(e, 'invalid_argument') &&
        e.message === `Fashion-MNIST not found in ${empty}: install it with \`apt-get install dataset-fashion-mnist\` (Debian package dataset-fashion-mnist)`,
    );
    assert.throws(() => loadFashionMnist('validation' as 'train', empty), isCode('invalid_argument'));
  });

  test('labels out of range or a count mismatch between the two files are bad_message', () => {
    const wrongLabel = path.join(dir, 'wrong-label');
    writeSplit(wrongLabel, 'train', [1, 10], true);
    assert.throws(() => loadFashionMnist('train', wrongLabel), isCode('bad_message'));
    const mismatch = path.join(dir, 'mismatch');
    writeSplit(mismatch, 'train', [1, 2, 3], true);
    fs.writeFileSync(path.join(mismatch, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x08, [2], Uint8Array.from([1, 2]))));
    assert.throws(() => loadFashionMnist('train', mismatch), isCode('bad_message'));
  });

  const installed = fs.existsSync(path.join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
  test(
    'the installed Fashion-MNIST: 10,000 test images with 1,000 per class, values in [0, 1]; 60,000 training labels',
    { skip: installed ? false : `Fashion-MNIST is not installed in ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist)` },
    (t) => {
      // The 60,000 training images take a second or more to load; their labels are checked, and the image path is the same as for test.
      const started = performance.now();
      const ds = loadFashionMnist('test');
      t.diagnostic(`fashion-mnist test split: ${(performance.now() - started).toFixed(0)} ms`);
      assert.equal(ds.count, 10_000);
      assert.deepEqual(ds.sampleShape, [28, 28, 1]);
      assert.deepEqual(labelHistogram(ds), new Array<number>(10).fill(1000));
      let min = Infinity;
      let max = -Infinity;
      for (const v of ds.images) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      assert.deepEqual([min, max], [0, 1]);
      const trainLabels = readIdxLabels(path.join(FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz'));
      assert.equal(trainLabels.length, 60_000);
      assert.deepEqual(new Array<number>(10).fill(0).map((_, c) => trainLabels.filter((l) => l === c).length), new Array<number>(10).fill(6000));
    },
  );
});
