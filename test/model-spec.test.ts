import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationShapes, layerWidths, mlpSpec, smallCnnSpec, withHiddenWidths } from '../common/model/spec.ts';
import { expectedKernelShapes, validateNetwork, type Network } from '../common/model/network.ts';
import { isFedfuseError } from '../common/errors/index.ts';

test('activation shapes follow TF semantics for same/valid convs and pools', () => {
  const spec = smallCnnSpec([28, 28, 1], [16, 32], 10);
  const shapes = activationShapes(spec);
  // conv same keeps 28, pool 2 halves (floor), twice: 28 -> 14 -> 7; flatten 7*7*32.
  assert.deepEqual(shapes[1], [28, 28, 16]);
  assert.deepEqual(shapes[2], [14, 14, 16]);
  assert.deepEqual(shapes[4], [7, 7, 32]);
  assert.deepEqual(shapes[5], [7 * 7 * 32]);
  assert.deepEqual(shapes.at(-1), [10]);
  const valid = activationShapes({
    inputShape: [9, 9, 2],
    layers: [{ kind: 'conv2d', filters: 3, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', useBias: true }],
    outputActivation: 'linear',
  });
  assert.deepEqual(valid[1], [4, 4, 3]);
});

test('kernel shapes and widths derive from the spec; hidden widths can be replaced', () => {
  const spec = mlpSpec(784, [256, 64], 10);
  assert.deepEqual(expectedKernelShapes(spec), [[784, 256], [256, 64], [64, 10]]);
  const narrow = withHiddenWidths(spec, [100, 20]);
  assert.deepEqual(layerWidths(narrow), [100, 20, 10]);
  assert.deepEqual(expectedKernelShapes(narrow), [[784, 100], [100, 20], [20, 10]]);
  assert.throws(() => withHiddenWidths(spec, [1]), RangeError);
});

function tinyNet(): Network {
  const spec = mlpSpec(3, [2], 2);
  return {
    spec,
    layers: [
      { kernel: new Float32Array(6), kernelShape: [3, 2], bias: new Float32Array(2) },
      { kernel: new Float32Array(4), kernelShape: [2, 2], bias: new Float32Array(2) },
    ],
  };
}

test('validateNetwork accepts a well-formed network and rejects each kind of damage with its code', () => {
  validateNetwork(tinyNet());
  const wrongShape = tinyNet();
  const damaged: Network = { ...wrongShape, layers: [{ ...wrongShape.layers[0]!, kernelShape: [2, 3] }, wrongShape.layers[1]!] };
  assert.throws(() => validateNetwork(damaged), (e) => isFedfuseError(e, 'shape_mismatch'));
  const short = tinyNet();
  const shortNet: Network = { ...short, layers: [{ ...short.layers[0]!, kernel: new Float32Array(5) }, short.layers[1]!] };
  assert.throws(() => validateNetwork(shortNet), (e) => isFedfuseError(e, 'shape_mismatch'));
  const nan = tinyNet();
  nan.layers[1]!.bias![1] = Number.NaN;
  assert.throws(() => validateNetwork(nan), (e) => isFedfuseError(e, 'non_finite'));
  const inf = tinyNet();
  inf.layers[0]!.kernel[4] = Number.POSITIVE_INFINITY;
  assert.throws(() => validateNetwork(inf), (e) => isFedfuseError(e, 'non_finite'));
  const missingLayer: Network = { spec: tinyNet().spec, layers: [tinyNet().layers[0]!] };
  assert.throws(() => validateNetwork(missingLayer), (e) => isFedfuseError(e, 'shape_mismatch'));
});
