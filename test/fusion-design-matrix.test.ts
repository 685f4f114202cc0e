import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import type { Conv2dLayerSpec, Padding } from '../common/model/spec.ts';
import { SeededRandom } from '../common/random/index.ts';
import { convDesignMatrix, denseDesignMatrix, sampleRows } from '../server/fusion/index.ts';
import { maxAbsDiff } from './fusion-fixtures.ts';

before(async () => {
  await initBackend();
});

describe('design matrices', () => {
  const cases: [number, number, number, number, Padding][] = [
    // h, w, kernel, stride, padding
    [7, 6, 3, 1, 'same'],
    [7, 6, 3, 2, 'same'],
    [8, 8, 2, 2, 'same'],
    [7, 6, 3, 1, 'valid'],
    [9, 7, 3, 2, 'valid'],
  ];
  for (const [h, w, k, s, padding] of cases) {
    test(`im2col rows times the flattened kernel equal tf.conv2d (${h}x${w}, k${k}, s${s}, ${padding})`, async () => {
      const random = new SeededRandom(h * 100 + k * 10 + s);
      const samples = 3;
      const inC = 2;
      const outC = 4;
      const layer: Conv2dLayerSpec = { kind: 'conv2d', filters: outC, kernelSize: k, strides: s, padding, activation: 'relu', useBias: true };
      const input = Float32Array.from({ length: samples * h * w * inC }, () => random.normal());
      const kernel = Float32Array.from({ length: k * k * inC * outC }, () => random.normal());
      const bias = Float32Array.from({ length: outC }, () => random.normal());
      const z = tf.tidy(() =>
        tf.add(tf.conv2d(tf.tensor4d(input, [samples, h, w, inC]), tf.tensor4d(kernel, [k, k, inC, outC]), s, padding), tf.tensor1d(bias)),
      );
      const expected = (await z.data()) as Float32Array;
      z.dispose();
      const total = expected.length / outC;
      for (const rows of [null, sampleRows(total, 10, random)]) {
        const x = convDesignMatrix(input, samples, [h, w, inC], layer, rows);
        assert.equal(x.columns, k * k * inC + 1);
        assert.equal(x.rows, rows === null ? total : 10);
        const product = new Float32Array(x.rows * outC);
        for (let r = 0; r < x.rows; r++) {
          for (let c = 0; c < outC; c++) {
            let sum = x.values[r * x.columns + x.columns - 1]! * bias[c]!;
            for (let d = 0; d < x.columns - 1; d++) sum += x.values[r * x.columns + d]! * kernel[d * outC + c]!;
            product[r * outC + c] = sum;
          }
        }
        const want = rows === null ? expected : Float32Array.from([...rows].flatMap((row) => [...expected.subarray(row * outC, (row + 1) * outC)]));
        assert.ok(maxAbsDiff(product, want) < 1e-4);
      }
    });
  }

  test('row sampling is a sorted, distinct, seeded subset (all rows when they fit)', () => {
    assert.equal(sampleRows(50, 50, new SeededRandom(1)), null);
    const rows = sampleRows(1000, 100, new SeededRandom(1))!;
    assert.equal(rows.length, 100);
    assert.equal(new Set(rows).size, 100);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i]! > rows[i - 1]!);
    assert.deepEqual(rows, sampleRows(1000, 100, new SeededRandom(1)));
    assert.notDeepEqual(rows, sampleRows(1000, 100, new SeededRandom(2)));
  });

  test('dense rows get a ones column for the bias', () => {
    const x = denseDesignMatrix(Float32Array.from([1, 2, 3, 4]), 2, 2, true);
    assert.deepEqual([...x.values], [1, 2, 1, 3, 4, 1]);
    assert.equal(denseDesignMatrix(Float32Array.from([1, 2]), 1, 2, false).columns, 2);
  });
});
