import { FedfuseError } from '../errors/index.ts';
import { validateNetwork, type LayerWeights, type Network } from '../model/network.ts';
import { parameterLayerIndices } from '../model/spec.ts';
import { dtypeMapping } from './enum-mappings.ts';
import { checkUint32, requirePresent } from './field-checks.ts';
import { float32FromLittleEndianBytes, float32ToLittleEndianBytes } from './float32-bytes.ts';
import type { fedfuse } from './generated/fedfuse.js';
import { MAX_MESSAGE_BYTES } from './max-message-bytes.ts';
import { specFromProto, specToProto } from './spec-codec.ts';

/**
 * Network <-> the protobuf Model: the spec plus one named float32 tensor per
 * kernel and bias ("layer{l}/kernel", "layer{l}/bias", l counting the layers
 * with parameters only: Network.layers' index).
 */

export function kernelTensorName(l: number): string {
  return `layer${l}/kernel`;
}

export function biasTensorName(l: number): string {
  return `layer${l}/bias`;
}

const TENSOR_NAME = /^layer(0|[1-9][0-9]{0,8})\/(kernel|bias)$/;

/** The tensors view the network's arrays (no copy); encode the result before mutating the network. */
export function networkToProto(net: Network): fedfuse.v1.IModel {
  const tensors: fedfuse.v1.ITensor[] = [];
  net.layers.forEach((lw, l) => {
    tensors.push(tensorToProto(kernelTensorName(l), lw.kernelShape, lw.kernel));
    if (lw.bias !== null) tensors.push(tensorToProto(biasTensorName(l), [lw.bias.length], lw.bias));
  });
  return { spec: specToProto(net.spec), tensors };
}

/** One named float32 tensor (the values are viewed, not copied: encode before mutating them). */
export function tensorToProto(name: string, shape: readonly number[], values: Float32Array): fedfuse.v1.ITensor {
  return {
    name,
    shape: shape.map((d, i) => checkUint32(d, `${name} shape[${i}]`)),
    dtype: dtypeMapping.toProto('float32'),
    data: float32ToLittleEndianBytes(values),
  };
}

/**
 * Decodes and validates a model: spec well formed, exactly the tensors the
 * spec needs, each tensor's bytes matching its shape, kernels and biases
 * matching the spec (shape_mismatch), all values finite (non_finite).
 */
export function networkFromProto(proto: fedfuse.v1.IModel, what = 'model'): Network {
  const spec = specFromProto(requirePresent(proto.spec, `${what} spec`), `${what} spec`);
  const weightedCount = parameterLayerIndices(spec).length;
  const byName = new Map<string, fedfuse.v1.ITensor>();
  for (const tensor of proto.tensors ?? []) {
    const name = tensor.name ?? '';
    const match = TENSOR_NAME.exec(name);
    if (match === null || Number(match[1]) >= weightedCount) {
      throw new FedfuseError('shape_mismatch', `${what}: unexpected tensor "${name}" (the spec has ${weightedCount} layers with parameters)`);
    }
    if (byName.has(name)) throw new FedfuseError('bad_message', `${what}: tensor "${name}" appears twice`);
    byName.set(name, tensor);
  }
  const layers: LayerWeights[] = [];
  for (let l = 0; l < weightedCount; l++) {
    const kernelProto = byName.get(kernelTensorName(l));
    if (kernelProto === undefined) throw new FedfuseError('shape_mismatch', `${what}: tensor "${kernelTensorName(l)}" is missing`);
    const kernel = tensorFromProto(kernelProto, `${what} ${kernelTensorName(l)}`);
    const biasProto = byName.get(biasTensorName(l));
    let bias: Float32Array | null = null;
    if (biasProto !== undefined) {
      const decoded = tensorFromProto(biasProto, `${what} ${biasTensorName(l)}`);
      if (decoded.shape.length !== 1) {
        throw new FedfuseError('shape_mismatch', `${what}: ${biasTensorName(l)} has shape [${decoded.shape.join(', ')}], a bias is one-dimensional`);
      }
      bias = decoded.values;
    }
    layers.push({ kernel: kernel.values, kernelShape: kernel.shape, bias });
  }
  const net: Network = { spec, layers };
  validateNetwork(net, what);
  return net;
}

/** A tensor's dtype, shape and bytes checked against each other (shape_mismatch, bad_message); values copied out of the frame. */
export function tensorFromProto(proto: fedfuse.v1.ITensor, what: string): { shape: number[]; values: Float32Array } {
  dtypeMapping.fromProto(proto.dtype, `${what} dtype`);
  const shape = [...(proto.shape ?? [])];
  const data = proto.data ?? new Uint8Array(0);
  // Saturate the product: a hostile shape like [2^32-1, 2^32-1, ...] must not lose precision into a match.
  let size = 1;
  for (const d of shape) size = Math.min(size * d, MAX_MESSAGE_BYTES);
  if (size * 4 !== data.byteLength) {
    throw new FedfuseError('shape_mismatch', `${what}: shape [${shape.join(', ')}] needs ${size * 4} bytes, got ${data.byteLength}`);
  }
  return { shape, values: float32FromLittleEndianBytes(data, what) };
}
