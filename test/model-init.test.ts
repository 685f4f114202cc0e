import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNetwork, mlpSpec, smallCnnSpec, validateNetwork } from '../common/model/index.ts';

describe('initNetwork', () => {
  const spec = mlpSpec(20, [16, 8], 3);

  test('gives a valid network with zero biases', () => {
    const net = initNetwork(spec, 1);
    validateNetwork(net);
    for (const layer of net.layers) assert.ok(layer.bias!.every((b) => b === 0));
  });

  test('is deterministic for a seed and differs between seeds', () => {
    const a = initNetwork(spec, 7);
    const b = initNetwork(spec, 7);
    const c = initNetwork(spec, 8);
    a.layers.forEach((layer, l) => {
      assert.deepEqual(layer.kernel, b.layers[l]!.kernel);
      const other = c.layers[l]!.kernel;
      const differing = layer.kernel.filter((v, i) => v !== other[i]).length;
      assert.ok(differing > 0.9 * layer.kernel.length, `layer ${l}: only ${differing} of ${layer.kernel.length} values differ`);
    });
  });

  test('draws uniformly within the Glorot limit of a dense layer', () => {
    // 300 x 200 kernel: limit sqrt(6 / 500); a uniform on [-L, L] has variance L^2 / 3 and mean 0.
    const net = initNetwork(mlpSpec(300, [200], 2), 3);
    const kernel = net.layers[0]!.kernel;
    const limit = Math.sqrt(6 / 500);
    const max = kernel.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(max <= limit && max > 0.99 * limit, `max |w| ${max}, limit ${limit}`);
    const mean = kernel.reduce((s, v) => s + v, 0) / kernel.length;
    const variance = kernel.reduce((s, v) => s + v * v, 0) / kernel.length;
    assert.ok(Math.abs(mean) < 0.01 * limit, `mean ${mean}`);
    assert.ok(Math.abs(variance / (limit * limit / 3) - 1) < 0.02, `variance ${variance}, expected ${(limit * limit) / 3}`);
  });

  test('counts the receptive field in a conv layer fans', () => {
    // conv 3x3, 4 -> 32 channels: fanIn 36, fanOut 288, limit sqrt(6 / 324).
    const spec = smallCnnSpec([8, 8, 4], [32], 2);
    const kernel = initNetwork(spec, 5).layers[0]!.kernel;
    assert.equal(kernel.length, 3 * 3 * 4 * 32);
    const limit = Math.sqrt(6 / 324);
    const max = kernel.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(max <= limit && max > 0.97 * limit, `max |w| ${max}, limit ${limit}`);
  });

  test('leaves biases out when the spec has none', () => {
    const noBias = { ...spec, layers: spec.layers.map((l) => ({ ...l, useBias: false })) };
    const net = initNetwork(noBias, 1);
    validateNetwork(net);
    assert.ok(net.layers.every((l) => l.bias === null));
  });
});
