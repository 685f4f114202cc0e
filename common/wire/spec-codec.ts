import { FedfuseError } from '../errors/index.ts';
import type { LayerSpec, ModelSpec } from '../model/spec.ts';
import { activationMapping, outputActivationMapping, paddingMapping } from './enum-mappings.ts';
import { checkUint32, requirePresent, singleOneofCase } from './field-checks.ts';
import type { fedfuse } from './generated/fedfuse.js';
import { checkSpecComposes } from './spec-composition.ts';

/** ModelSpec <-> its protobuf message. */

const LAYER_CASES = [
  'dense',
  'conv2d',
  'maxPool2d',
  'flatten',
  'depthwiseConv2d',
  'avgPool2d',
  'globalAvgPool2d',
  'reshape',
  'batchNorm',
  'dropout',
  'activation',
  'add',
] as const;

export function specToProto(spec: ModelSpec): fedfuse.v1.IModelSpec {
  return {
    inputShape: spec.inputShape.map((d, i) => checkUint32(d, `input shape[${i}]`)),
    outputActivation: outputActivationMapping.toProto(spec.outputActivation),
    layers: spec.layers.map((layer, i) => (layer.inputs === undefined ? layerToProto(layer, i) : { ...layerToProto(layer, i), inputs: [...layer.inputs] })),
  };
}

function layerToProto(layer: LayerSpec, i: number): fedfuse.v1.ILayerSpec {
  const what = `layer ${i}`;
  switch (layer.kind) {
    case 'dense':
      return {
        dense: { units: checkUint32(layer.units, `${what} units`), activation: activationMapping.toProto(layer.activation), useBias: layer.useBias },
      };
    case 'conv2d':
      return {
        conv2d: {
          filters: checkUint32(layer.filters, `${what} filters`),
          kernelSize: checkUint32(layer.kernelSize, `${what} kernel size`),
          strides: checkUint32(layer.strides, `${what} strides`),
          padding: paddingMapping.toProto(layer.padding),
          activation: activationMapping.toProto(layer.activation),
          useBias: layer.useBias,
        },
      };
    case 'depthwiseConv2d':
      return {
        depthwiseConv2d: {
          kernelSize: checkUint32(layer.kernelSize, `${what} kernel size`),
          strides: checkUint32(layer.strides, `${what} strides`),
          padding: paddingMapping.toProto(layer.padding),
          activation: activationMapping.toProto(layer.activation),
          useBias: layer.useBias,
        },
      };
    case 'maxPool2d':
    case 'avgPool2d': {
      const pool = { poolSize: checkUint32(layer.poolSize, `${what} pool size`), strides: checkUint32(layer.strides, `${what} strides`), padding: paddingMapping.toProto(layer.padding) };
      return layer.kind === 'maxPool2d' ? { maxPool2d: pool } : { avgPool2d: pool };
    }
    case 'globalAvgPool2d':
      return { globalAvgPool2d: {} };
    case 'flatten':
      return { flatten: {} };
    case 'reshape':
      return { reshape: { targetShape: layer.targetShape.map((d, k) => checkUint32(d, `${what} target shape[${k}]`)) } };
    case 'batchNorm':
      return { batchNorm: { epsilon: layer.epsilon, momentum: layer.momentum, center: layer.center, scale: layer.scale } };
    case 'dropout':
      return { dropout: { rate: layer.rate } };
    case 'activation':
      return { activation: { activation: activationMapping.toProto(layer.activation) } };
    case 'add':
      return { add: {} };
  }
}

/** Decodes and checks a spec: every enum specified, every size positive, layers that compose. */
export function specFromProto(proto: fedfuse.v1.IModelSpec, what = 'model spec'): ModelSpec {
  const inputShape = proto.inputShape ?? [];
  if (inputShape.length === 0) throw new FedfuseError('bad_message', `${what}: input shape is missing`);
  inputShape.forEach((d, i) => positive(d, `${what}: input shape[${i}]`));
  const layers = (proto.layers ?? []).map((layer, i): LayerSpec => {
    const spec = layerFromProto(layer, `${what} layer ${i}`);
    const inputs = layer.inputs ?? [];
    return inputs.length === 0 ? spec : { ...spec, inputs: [...inputs] };
  });
  const spec: ModelSpec = {
    inputShape: [...inputShape],
    layers,
    outputActivation: outputActivationMapping.fromProto(proto.outputActivation, `${what} output activation`),
  };
  checkSpecComposes(spec, what);
  return spec;
}

function layerFromProto(proto: fedfuse.v1.ILayerSpec, what: string): LayerSpec {
  const pool = (l: fedfuse.v1.IMaxPool2dLayer | fedfuse.v1.IAvgPool2dLayer) => ({
    poolSize: positive(l.poolSize, `${what} pool size`),
    strides: positive(l.strides, `${what} strides`),
    padding: paddingMapping.fromProto(l.padding, `${what} padding`),
  });
  switch (singleOneofCase(proto, LAYER_CASES, what)) {
    case 'dense': {
      const l = requirePresent(proto.dense, what);
      return {
        kind: 'dense',
        units: positive(l.units, `${what} units`),
        activation: activationMapping.fromProto(l.activation, `${what} activation`),
        useBias: l.useBias ?? false,
      };
    }
    case 'conv2d': {
      const l = requirePresent(proto.conv2d, what);
      return {
        kind: 'conv2d',
        filters: positive(l.filters, `${what} filters`),
        kernelSize: positive(l.kernelSize, `${what} kernel size`),
        strides: positive(l.strides, `${what} strides`),
        padding: paddingMapping.fromProto(l.padding, `${what} padding`),
        activation: activationMapping.fromProto(l.activation, `${what} activation`),
        useBias: l.useBias ?? false,
      };
    }
    case 'depthwiseConv2d': {
      const l = requirePresent(proto.depthwiseConv2d, what);
      return {
        kind: 'depthwiseConv2d',
        kernelSize: positive(l.kernelSize, `${what} kernel size`),
        strides: positive(l.strides, `${what} strides`),
        padding: paddingMapping.fromProto(l.padding, `${what} padding`),
        activation: activationMapping.fromProto(l.activation, `${what} activation`),
        useBias: l.useBias ?? false,
      };
    }
    case 'maxPool2d':
      return { kind: 'maxPool2d', ...pool(requirePresent(proto.maxPool2d, what)) };
    case 'avgPool2d':
      return { kind: 'avgPool2d', ...pool(requirePresent(proto.avgPool2d, what)) };
    case 'globalAvgPool2d':
      return { kind: 'globalAvgPool2d' };
    case 'flatten':
      return { kind: 'flatten' };
    case 'reshape': {
      const target = requirePresent(proto.reshape, what).targetShape ?? [];
      if (target.length === 0) throw new FedfuseError('bad_message', `${what}: reshape target shape is missing`);
      return { kind: 'reshape', targetShape: target.map((d, k) => positive(d, `${what} target shape[${k}]`)) };
    }
    case 'batchNorm': {
      const l = requirePresent(proto.batchNorm, what);
      const epsilon = l.epsilon ?? 0;
      if (!(Number.isFinite(epsilon) && epsilon > 0)) throw new FedfuseError('invalid_argument', `${what} epsilon must be positive, got ${epsilon}`);
      return { kind: 'batchNorm', epsilon, momentum: fraction(l.momentum, `${what} momentum`), center: l.center ?? false, scale: l.scale ?? false };
    }
    case 'dropout':
      return { kind: 'dropout', rate: fraction(requirePresent(proto.dropout, what).rate, `${what} rate`) };
    case 'activation':
      return { kind: 'activation', activation: activationMapping.fromProto(requirePresent(proto.activation, what).activation, `${what} activation`) };
    case 'add':
      return { kind: 'add' };
  }
}

function positive(value: number | null | undefined, what: string): number {
  const v = value ?? 0;
  if (!(v > 0)) throw new FedfuseError('invalid_argument', `${what} must be positive, got ${v}`);
  return v;
}

function fraction(value: number | null | undefined, what: string): number {
  const v = value ?? 0;
  if (!(v >= 0 && v < 1)) throw new FedfuseError('invalid_argument', `${what} must be in [0, 1), got ${v}`);
  return v;
}
