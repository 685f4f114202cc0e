import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { initNetwork, mlpSpec, type Network } from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { networkArrays, recordDict, SCAFFOLD_CLIENT_VARIATE, SCAFFOLD_SERVER_VARIATE } from '../common/records/index.ts';
import { meanGradient, trainNetwork, type LabeledSamples } from '../common/training/index.ts';
import { scaffoldStep } from '../client/scaffold-client.ts';

/**
 * SCAFFOLD on the client: the gradient correction is exactly added to each
 * step's gradient, c_i+ is the full-batch mean gradient at the received
 * model (checked against the softmax-regression gradient written out by
 * hand), and the client step combines them as the paper says.
 */
const SPEC = mlpSpec(3, [], 2);
const rng = new SeededRandom(5);
const DATA: LabeledSamples & { labels: Int32Array } = { images: Float32Array.from({ length: 10 * 3 }, () => rng.next() * 2 - 1), labels: Int32Array.from({ length: 10 }, (_, i) => i % 2), count: 10 };

const flat = (n: Network): number[] => n.layers.flatMap((l) => [...l.kernel, ...(l.bias ?? [])]);
function filled(values: readonly number[]): Network {
  return { spec: SPEC, layers: [{ kernel: Float32Array.from(values.slice(0, 6)), kernelShape: [3, 2], bias: Float32Array.from(values.slice(6, 8)) }] };
}

/** d/dW of the mean cross-entropy of softmax(xW + b), by hand: X^T (softmax - onehot) / N, and the mean of (softmax - onehot) for b. */
function handGradient(net: Network, data: LabeledSamples): number[] {
  const W = net.layers[0]!.kernel;
  const b = net.layers[0]!.bias!;
  const gW = new Array<number>(6).fill(0);
  const gb = [0, 0];
  for (let i = 0; i < data.count; i++) {
    const x = Array.from(data.images.subarray(i * 3, i * 3 + 3));
    const z = [0, 1].map((c) => b[c]! + x.reduce((s, xk, k) => s + xk * W[k * 2 + c]!, 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const p = e.map((v) => v / (e[0]! + e[1]!));
    for (let c = 0; c < 2; c++) {
      const d = (p[c]! - (data.labels[i] === c ? 1 : 0)) / data.count;
      gb[c]! += d;
      for (let k = 0; k < 3; k++) gW[k * 2 + c]! += x[k]! * d;
    }
  }
  return [...gW, ...gb];
}

function assertClose(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  const worst = Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)));
  assert.ok(worst <= tolerance, `${what}: largest difference ${worst}`);
}

before(async () => {
  await initBackend();
});

describe('SCAFFOLD client step', () => {
  test('meanGradient is the full-batch gradient, whatever the batch size, and leaks no tensor', async () => {
    const net = initNetwork(SPEC, 2);
    const before = tf.memory().numTensors;
    const whole = await meanGradient(net, DATA);
    const batched = await meanGradient(net, DATA, 3);
    assert.equal(tf.memory().numTensors, before);
    assertClose(flat(whole), handGradient(net, DATA), 1e-6, 'against the hand-written gradient');
    assertClose(flat(batched), flat(whole), 1e-6, 'batches of 3');
    assert.ok(flat(whole).some((v) => Math.abs(v) > 1e-3), 'the gradient is not trivially zero');
  });

  test('gradientCorrection adds exactly the correction to the gradient: one full-batch SGD step moves by -lr * correction more', async () => {
    const net = initNetwork(SPEC, 4);
    const correction = filled([0.5, -1, 2, 0, 0.25, -0.75, 1, -2]);
    const options = { epochs: 1, batchSize: DATA.count, learningRate: 0.1, optimizer: 'sgd' as const, seed: 1 };
    const before = tf.memory().numTensors;
    const plain = await trainNetwork(net, DATA, options);
    const corrected = await trainNetwork(net, DATA, { ...options, gradientCorrection: correction });
    assert.equal(tf.memory().numTensors, before);
    const moved = flat(corrected.network).map((v, i) => v - flat(plain.network)[i]!);
    assertClose(moved, flat(correction).map((c) => -0.1 * c), 1e-6, 'corrected - plain');
    // And the plain step is the hand-written gradient step.
    assertClose(flat(plain.network), flat(net).map((w, i) => w - 0.1 * handGradient(net, DATA)[i]!), 1e-6, 'plain SGD step');
  });

  test('a correction of another architecture is refused', async () => {
    await assert.rejects(
      trainNetwork(initNetwork(SPEC, 1), DATA, { epochs: 1, batchSize: 5, learningRate: 0.1, optimizer: 'sgd', seed: 1, gradientCorrection: initNetwork(mlpSpec(3, [2], 2), 1) }),
      { name: 'FedfuseError', code: 'shape_mismatch' },
    );
  });

  test('the client trains with c - c_i and returns c_i+ = the mean gradient at the received model; without SCAFFOLD records, nothing', async () => {
    const model = initNetwork(SPEC, 6);
    const c = filled([1, 1, 1, 1, 1, 1, 1, 1]);
    const ci = filled([0.5, 0, -1, 2, 0, 0, 3, 1]);
    const step = scaffoldStep(model, recordDict({ [SCAFFOLD_SERVER_VARIATE]: networkArrays(c), [SCAFFOLD_CLIENT_VARIATE]: networkArrays(ci) }), DATA)!;
    assert.deepEqual(flat(step.gradientCorrection), [0.5, 1, 2, -1, 1, 1, -2, 0]);
    const returned = await step.returned();
    const ciPlus = returned.arrays.get(SCAFFOLD_CLIENT_VARIATE)!;
    assertClose([...ciPlus.get('layer0/kernel')!.values, ...ciPlus.get('layer0/bias')!.values], handGradient(model, DATA), 1e-6, 'c_i+');
    // A first-time client has no c_i: the correction is c itself.
    assert.deepEqual(flat(scaffoldStep(model, recordDict({ [SCAFFOLD_SERVER_VARIATE]: networkArrays(c) }), DATA)!.gradientCorrection), flat(c));
    assert.equal(scaffoldStep(model, recordDict(), DATA), null);
  });
});
