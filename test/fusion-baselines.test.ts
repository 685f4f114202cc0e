import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import type { Network } from '../common/model/network.ts';
import { mlpSpec, smallCnnSpec } from '../common/model/spec.ts';
import { ensembleProbabilities, fuse } from '../server/fusion/index.ts';
import { gaussianInputs, logitsOf, maxAbsDiff, randomNetwork } from './fusion-fixtures.ts';

before(async () => {
  await initBackend();
});

/** A 2-2-2 MLP with the given 12 parameters: kernel0 (4), bias0 (2), kernel1 (4), bias1 (2). */
function tiny(p: number[]): Network {
  return {
    spec: mlpSpec(2, [2], 2),
    layers: [
      { kernel: Float32Array.from(p.slice(0, 4)), kernelShape: [2, 2], bias: Float32Array.from(p.slice(4, 6)) },
      { kernel: Float32Array.from(p.slice(6, 10)), kernelShape: [2, 2], bias: Float32Array.from(p.slice(10, 12)) },
    ],
  };
}

describe('FedAvg and plain averaging', () => {
  test('fedavg of identical models is that model', async () => {
    const net = randomNetwork(smallCnnSpec([8, 8, 1], [4, 6], 3), 1);
    const { network, report } = await fuse([net, net, net], new Float32Array(0), { method: 'fedavg', numExamples: [10, 300, 7] });
    network.layers.forEach((l, i) => {
      assert.ok(maxAbsDiff(l.kernel, net.layers[i]!.kernel) < 1e-6);
      assert.ok(maxAbsDiff(l.bias!, net.layers[i]!.bias!) < 1e-6);
    });
    assert.equal(report.method, 'fedavg');
    assert.equal(report.levels.length, 0);
  });

  test('fedavg weights by numExamples, average does not (hand computation)', async () => {
    const a = tiny([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const b = tiny([-3, 0, 1, 8, 1, 2, 3, 0, 5, -6, 7, 0]);
    // numExamples 100 and 300: weights 1/4 and 3/4.
    const fedavg = await fuse([a, b], new Float32Array(0), { method: 'fedavg', numExamples: [100, 300] });
    assert.deepEqual([...fedavg.network.layers[0]!.kernel], [-2, 0.5, 1.5, 7]);
    assert.deepEqual([...fedavg.network.layers[0]!.bias!], [2, 3]);
    assert.deepEqual([...fedavg.network.layers[1]!.kernel], [4, 2, 6, -2]);
    assert.deepEqual([...fedavg.network.layers[1]!.bias!], [8, 3]);
    const average = await fuse([a, b], new Float32Array(0), { method: 'average' });
    assert.deepEqual([...average.network.layers[0]!.kernel], [-1, 1, 2, 6]);
    assert.deepEqual([...average.network.layers[1]!.bias!], [9, 6]);
  });
});

describe('ensemble probabilities', () => {
  test('are the (weighted) mean of the parents\' softmax outputs', async () => {
    const spec = mlpSpec(4, [6], 3);
    const a = randomNetwork(spec, 2);
    const b = randomNetwork(spec, 3);
    const inputs = gaussianInputs(spec, 5, 4);
    const softmax = (logits: Float32Array): number[] => {
      const out: number[] = [];
      for (let r = 0; r < logits.length / 3; r++) {
        const row = [...logits.subarray(r * 3, r * 3 + 3)];
        const m = Math.max(...row);
        const e = row.map((v) => Math.exp(v - m));
        const s = e.reduce((x, y) => x + y, 0);
        out.push(...e.map((v) => v / s));
      }
      return out;
    };
    const pa = softmax(await logitsOf(a, inputs));
    const pb = softmax(await logitsOf(b, inputs));
    const mean = await ensembleProbabilities([a, b], inputs);
    assert.equal(mean.length, 15);
    assert.ok(maxAbsDiff(mean, pa.map((v, i) => (v + pb[i]!) / 2)) < 1e-6);
    const weighted = await ensembleProbabilities([a, b], inputs, [1, 3]);
    assert.ok(maxAbsDiff(weighted, pa.map((v, i) => 0.25 * v + 0.75 * pb[i]!)) < 1e-6);
    for (let r = 0; r < 5; r++) assert.ok(Math.abs(mean[r * 3]! + mean[r * 3 + 1]! + mean[r * 3 + 2]! - 1) < 1e-5);
  });

  test('work in batches on more samples than one batch, and reject bad input', async () => {
    const spec = smallCnnSpec([8, 8, 1], [4], 3);
    const net = randomNetwork(spec, 5);
    const inputs = gaussianInputs(spec, 300, 6);
    const probabilities = await ensembleProbabilities([net], inputs);
    const logits = await logitsOf(net, inputs);
    // Row 290 (second batch): argmax of probabilities = argmax of logits.
    const row = (v: ArrayLike<number>, r: number) => [v[r * 3]!, v[r * 3 + 1]!, v[r * 3 + 2]!];
    const argmax = (v: number[]) => v.indexOf(Math.max(...v));
    assert.equal(argmax(row(probabilities, 290)), argmax(row(logits, 290)));
    await assert.rejects(ensembleProbabilities([net], new Float32Array(65)), { code: 'shape_mismatch' });
    await assert.rejects(ensembleProbabilities([net, net], inputs, [1]), { code: 'invalid_argument' });
  });
});
