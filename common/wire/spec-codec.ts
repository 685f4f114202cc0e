import { FedfuseError } from '../errors/index.ts';
import type { LayerSpec, ModelSpec } from '../model/spec.ts';
import { activationMapping, outputActivationMapping, paddingMapping } from './enum-mappings.ts';
import { checkUint32, requirePresent, singleOneofCase } from './field-checks.ts';
import type { fedfuse } from './generated/fedfuse.js';
import { checkSpecComposes } from './spec-composition.ts';

/** ModelSpec <-> its protobuf message. */

const LAYER_CASES = ['dense', 'conv2d', 'maxPool2d', 'flatten'] as const;

export function specToProto(spec: ModelSpec): fedfuse.v1.IModelSpec {
  return {
    inputShape: spec.inputShape.map((d, i) => checkUint32(d, `input shape[${i}]`)),
    outputActivation: outputActivationMapping.toProto(spec.outputActivation),
    layers: spec.layers.map(layerToProto),
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
    case 'maxPool2d':
      return {
        maxPool2d: {
          poolSize: checkUint32(layer.poolSize, `${what} pool size`),
          strides: checkUint32(layer.strides, `${what} strides`),
          padding: paddingMapping.toProto(layer.padding),
        },
      };
    case 'flatten':
      return { flatten: {} };
  }
}

/** Decodes and checks a spec: every enum specified, every size positive, layers that compose. */
export function specFromProto(proto: fedfuse.v1.IModelSpec, what = 'model spec'): ModelSpec {
  const inputShape = proto.inputShape ?? [];
  if (inputShape.length === 0) throw new FedfuseError('bad_message', `${what}: input shape is missing`);
  inputShape.forEach((d, i) => positive(d, `${what}: input shape[${i}]`));
  const layers = (proto.layers ?? []).map((layer, i) => layerFromProto(layer, `${what} layer ${i}`));
  const spec: ModelSpec = {
    inputShape: [...inputShape],
    layers,
    outputActivation: outputActivationMapping.fromProto(proto.outputActivation, `${what} output activation`),
  };
  checkSpecComposes(spec, what);
  return spec;
}

function layerFromProto(proto: fedfuse.v1.ILayerSpec, what: string): LayerSpec {
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
    case 'maxPool2d': {
      const l = requirePresent(proto.maxPool2d, what);
      return {
        kind: 'maxPool2d',
        poolSize: positive(l.poolSize, `${what} pool size`),
        strides: positive(l.strides, `${what} strides`),
        padding: paddingMapping.fromProto(l.padding, `${what} padding`),
      };
    }
    case 'flatten':
      return { kind: 'flatten' };
  }
}

function positive(value: number | null | undefined, what: string): number {
  const v = value ?? 0;
  if (!(v > 0)) throw new FedfuseError('invalid_argument', `${what} must be positive, got ${v}`);
  return v;
}
