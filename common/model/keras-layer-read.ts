import { FedfuseError } from '../errors/index.ts';
import type { Activation, LayerSpec, Padding } from './layer-spec.ts';

/**
 * One Keras layer config (class_name + config, as in a TF.js Layers
 * model.json) read into what it means for a fedfuse model. Anything fusion
 * could not reproduce is an 'invalid_argument' naming the layer.
 */
type JsonObject = { readonly [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}

/** The Keras layer classes fedfuse reads. */
export const SUPPORTED_KERAS_LAYERS = [
  'InputLayer',
  'Dense',
  'Conv2D',
  'DepthwiseConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'Flatten',
  'Reshape',
  'BatchNormalization',
  'Dropout',
  'Activation',
  'ReLU',
  'Softmax',
  'Add',
] as const;

/**
 * A read layer before the graph is assembled: a LayerSpec (a softmax
 * activation still possible on Dense/Conv2D, a reshape's -1 and a BatchNorm's
 * axis still unresolved), the model's input, or a softmax layer.
 */
export type ReadLayer =
  | { readonly kind: 'input'; readonly shape: readonly number[] | null }
  | { readonly kind: 'softmax' }
  | { readonly kind: 'layer'; readonly layer: LayerSpec; readonly softmax: boolean; readonly batchNormAxis?: number; readonly reshapeTarget?: readonly number[] };

export function readKerasLayer(className: string, config: JsonObject, what: string): ReadLayer {
  const layer = (l: LayerSpec, softmax = false): ReadLayer => ({ kind: 'layer', layer: l, softmax });
  switch (className) {
    case 'InputLayer':
      if (config['sparse'] === true || config['ragged'] === true) throw invalid(`${what}: sparse or ragged inputs are not supported`);
      return { kind: 'input', shape: batchInputShape(config, what) };
    case 'Dense': {
      const activation = weightedActivation(config['activation'], what);
      return layer({ kind: 'dense', units: positiveInt(config['units'], `${what}: units`), activation: activation.activation, useBias: useBias(config, what) }, activation.softmax);
    }
    case 'Conv2D': {
      checkChannelsLast(config, what);
      checkAllOnes(config['dilation_rate'], `${what}: dilation_rate`);
      if (config['groups'] !== undefined && config['groups'] !== null && config['groups'] !== 1) {
        throw invalid(`${what}: grouped convolutions (groups=${String(config['groups'])}) are not supported`);
      }
      const activation = weightedActivation(config['activation'], what);
      return layer(
        {
          kind: 'conv2d',
          filters: positiveInt(config['filters'], `${what}: filters`),
          kernelSize: squareSize(config['kernel_size'], `${what}: kernel_size`),
          strides: squareSize(config['strides'] ?? 1, `${what}: strides`),
          padding: padding(config['padding'], what),
          activation: activation.activation,
          useBias: useBias(config, what),
        },
        activation.softmax,
      );
    }
    case 'DepthwiseConv2D': {
      checkChannelsLast(config, what);
      checkAllOnes(config['dilation_rate'], `${what}: dilation_rate`);
      const multiplier = config['depth_multiplier'] ?? 1;
      if (multiplier !== 1) throw invalid(`${what}: depth_multiplier ${JSON.stringify(multiplier)} is not supported (only 1)`);
      const activation = weightedActivation(config['activation'], what);
      if (activation.softmax) throw invalid(`${what}: a softmax is only supported on the model's last Dense layer`);
      return layer({
        kind: 'depthwiseConv2d',
        kernelSize: squareSize(config['kernel_size'], `${what}: kernel_size`),
        strides: squareSize(config['strides'] ?? 1, `${what}: strides`),
        padding: padding(config['padding'], what),
        activation: activation.activation,
        useBias: useBias(config, what),
      });
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      checkChannelsLast(config, what);
      const poolSize = squareSize(config['pool_size'] ?? 2, `${what}: pool_size`);
      const strides = config['strides'] === null || config['strides'] === undefined ? poolSize : squareSize(config['strides'], `${what}: strides`);
      return layer({ kind: className === 'MaxPooling2D' ? 'maxPool2d' : 'avgPool2d', poolSize, strides, padding: padding(config['padding'], what) });
    }
    case 'GlobalAveragePooling2D':
      checkChannelsLast(config, what);
      if (config['keepdims'] === true) throw invalid(`${what}: keepdims=true is not supported`);
      return layer({ kind: 'globalAvgPool2d' });
    case 'Flatten':
      checkChannelsLast(config, what);
      return layer({ kind: 'flatten' });
    case 'Reshape': {
      const target = config['target_shape'];
      if (!Array.isArray(target) || target.length === 0 || !target.every((d) => d === -1 || (Number.isInteger(d) && d > 0)) || target.filter((d) => d === -1).length > 1) {
        throw invalid(`${what}: target_shape ${JSON.stringify(target)} must list positive sizes (at most one -1)`);
      }
      return { kind: 'layer', layer: { kind: 'reshape', targetShape: target as number[] }, softmax: false, reshapeTarget: target as number[] };
    }
    case 'BatchNormalization':
      return {
        kind: 'layer',
        layer: {
          kind: 'batchNorm',
          epsilon: positiveNumber(config['epsilon'] ?? 1e-3, `${what}: epsilon`),
          momentum: fraction(config['momentum'] ?? 0.99, `${what}: momentum`),
          center: flag(config['center'], true, `${what}: center`),
          scale: flag(config['scale'], true, `${what}: scale`),
        },
        softmax: false,
        batchNormAxis: batchNormAxis(config['axis'], what),
      };
    case 'Dropout':
      if (config['noise_shape'] !== undefined && config['noise_shape'] !== null) throw invalid(`${what}: noise_shape is not supported`);
      return layer({ kind: 'dropout', rate: fraction(config['rate'], `${what}: rate`) });
    case 'Activation': {
      const a = config['activation'];
      if (a === 'softmax') return { kind: 'softmax' };
      return layer({ kind: 'activation', activation: plainActivation(a, what) });
    }
    case 'ReLU':
      for (const key of ['max_value', 'negative_slope', 'threshold'] as const) {
        const v = config[key];
        const neutral = v === undefined || v === null || (key !== 'max_value' && v === 0);
        if (!neutral) throw invalid(`${what}: ${key}=${String(v)} is not supported (only a plain relu is)`);
      }
      return layer({ kind: 'activation', activation: 'relu' });
    case 'Softmax': {
      const axis = config['axis'];
      if (!(axis === undefined || axis === null || axis === -1 || (Array.isArray(axis) && axis.length === 1 && axis[0] === -1))) {
        throw invalid(`${what}: softmax over axis ${JSON.stringify(axis)} is not supported (only the last axis)`);
      }
      return { kind: 'softmax' };
    }
    case 'Add':
      return layer({ kind: 'add' });
    default:
      throw invalid(`${what}: layer type ${className} is not supported (supported: ${SUPPORTED_KERAS_LAYERS.join(', ')})`);
  }
}

/** [null, ...sizes] from batch_input_shape / batch_shape, or null when absent. */
export function batchInputShape(config: JsonObject, what: string): number[] | null {
  const shape = config['batch_input_shape'] ?? config['batch_shape'];
  if (shape === undefined || shape === null) return null;
  if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every((d) => Number.isInteger(d) && d > 0)) {
    throw invalid(`${what}: input shape ${JSON.stringify(shape)} must be [null, ...positive sizes]`);
  }
  return shape.slice(1) as number[];
}

function weightedActivation(v: unknown, what: string): { activation: Activation; softmax: boolean } {
  if (v === 'softmax') return { activation: 'linear', softmax: true };
  return { activation: plainActivation(v ?? 'linear', what), softmax: false };
}

function plainActivation(v: unknown, what: string): Activation {
  if (v === 'relu' || v === 'linear') return v;
  if (v === null || v === undefined) return 'linear';
  throw invalid(`${what}: activation ${JSON.stringify(v)} is not supported (only relu, linear and a final softmax)`);
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw invalid(`${what} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function positiveNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw invalid(`${what} must be a positive number, got ${JSON.stringify(v)}`);
  return v;
}

function fraction(v: unknown, what: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw invalid(`${what} must be a number in [0, 1), got ${JSON.stringify(v)}`);
  return v;
}

function flag(v: unknown, fallback: boolean, what: string): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw invalid(`${what} must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

/** BatchNorm's axis as written (-1, or an index counted with the batch axis); checked against the input's rank later. */
function batchNormAxis(v: unknown, what: string): number {
  const axis = Array.isArray(v) && v.length === 1 ? v[0] : (v ?? -1);
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw invalid(`${what}: axis ${JSON.stringify(v)} is not supported (only the last axis)`);
  return axis;
}

/** A window or stride given as n or [n, n]; non-square ones are not in ModelSpec. */
function squareSize(v: unknown, what: string): number {
  if (typeof v === 'number') return positiveInt(v, what);
  if (Array.isArray(v) && v.length === 2 && v[0] === v[1]) return positiveInt(v[0], what);
  throw invalid(`${what} ${JSON.stringify(v)} is not supported (only square sizes)`);
}

function checkAllOnes(v: unknown, what: string): void {
  if (v === undefined || v === null || v === 1) return;
  if (Array.isArray(v) && v.every((d) => d === 1)) return;
  throw invalid(`${what} ${JSON.stringify(v)} is not supported (only 1)`);
}

function padding(v: unknown, what: string): Padding {
  if (v === undefined || v === null) return 'valid';
  if (v === 'valid' || v === 'same') return v;
  throw invalid(`${what}: padding ${JSON.stringify(v)} is not supported (only valid and same)`);
}

function useBias(config: JsonObject, what: string): boolean {
  const v = config['use_bias'];
  if (v === undefined || v === null) return true;
  if (typeof v !== 'boolean') throw invalid(`${what}: use_bias must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

function checkChannelsLast(config: JsonObject, what: string): void {
  const f = config['data_format'];
  if (f === undefined || f === null || f === 'channels_last') return;
  throw invalid(`${what}: data_format ${JSON.stringify(f)} is not supported (only channels_last)`);
}
