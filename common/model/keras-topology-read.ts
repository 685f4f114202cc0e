import { FedfuseError } from '../errors/index.ts';
import type { Activation, LayerSpec, ModelSpec, Padding } from './spec.ts';
import { outputSize } from './spec.ts';

/**
 * Reads the Keras Sequential topology of a TF.js Layers model.json (written by
 * fedfuse, by tfjs-layers, or converted from Keras) into a ModelSpec.
 *
 * Accepted layers: InputLayer, Dense, Conv2D, MaxPooling2D, Flatten,
 * Activation('relu' | 'linear' | 'softmax'), ReLU and Softmax. Activations
 * written as their own layers are folded into the preceding Dense/Conv2D
 * (a ReLU after pooling or flattening too: relu commutes with max-pooling
 * and reshaping); a softmax must come last and becomes outputActivation.
 * Anything else is rejected with an 'invalid_argument' error naming the layer,
 * because fusion could not reproduce what that layer does.
 */
export interface ParsedSequentialTopology {
  readonly spec: ModelSpec;
  /** Keras name of the layer holding each weighted layer's parameters, in Network.layers order. */
  readonly weightedLayerNames: readonly string[];
}

type JsonObject = { readonly [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}

/** A layer under construction: activations can still be folded into it. */
type MutableLayer =
  | { kind: 'dense'; units: number; activation: Activation; useBias: boolean }
  | { kind: 'conv2d'; filters: number; kernelSize: number; strides: number; padding: Padding; activation: Activation; useBias: boolean }
  | { kind: 'maxPool2d'; poolSize: number; strides: number; padding: Padding }
  | { kind: 'flatten' };

class SequentialReader {
  private readonly layers: MutableLayer[] = [];
  private readonly weightedNames: string[] = [];
  /** "layer \"name\"" for each entry of `layers`, for error messages about shapes. */
  private readonly layerNames: string[] = [];
  private inputShape: number[] | null = null;
  /** Name of the layer that applied the softmax, once one has. */
  private softmaxBy: string | null = null;

  read(layerJson: unknown, index: number): void {
    if (!isObject(layerJson) || typeof layerJson['class_name'] !== 'string' || !isObject(layerJson['config'])) {
      throw invalid(`layer ${index} of the model topology is not a {class_name, config} object`);
    }
    const className = layerJson['class_name'];
    const config = layerJson['config'];
    const name = typeof config['name'] === 'string' ? config['name'] : `#${index}`;
    const what = `layer "${name}" (${className})`;
    this.takeInputShape(config, what);
    if (this.softmaxBy !== null && !(className === 'Activation' && config['activation'] === 'linear')) {
      throw invalid(`${what} follows the softmax of "${this.softmaxBy}": a softmax is only supported as the model's last layer`);
    }
    switch (className) {
      case 'InputLayer':
        if (index !== 0) throw invalid(`${what} is not the first layer`);
        if (config['sparse'] === true || config['ragged'] === true) throw invalid(`${what}: sparse or ragged inputs are not supported`);
        return;
      case 'Dense':
        this.addWeighted(
          { kind: 'dense', units: positiveInt(config['units'], `${what}: units`), activation: 'linear', useBias: useBias(config, what) },
          name,
          config['activation'],
          what,
        );
        return;
      case 'Conv2D':
        checkChannelsLast(config, what);
        checkAllOnes(config['dilation_rate'], `${what}: dilation_rate`);
        if (config['groups'] !== undefined && config['groups'] !== null && config['groups'] !== 1) {
          throw invalid(`${what}: grouped convolutions (groups=${String(config['groups'])}) are not supported`);
        }
        this.addWeighted(
          {
            kind: 'conv2d',
            filters: positiveInt(config['filters'], `${what}: filters`),
            kernelSize: squareSize(config['kernel_size'], `${what}: kernel_size`),
            strides: squareSize(config['strides'] ?? 1, `${what}: strides`),
            padding: padding(config['padding'], what),
            activation: 'linear',
            useBias: useBias(config, what),
          },
          name,
          config['activation'],
          what,
        );
        return;
      case 'MaxPooling2D': {
        checkChannelsLast(config, what);
        const poolSize = squareSize(config['pool_size'] ?? 2, `${what}: pool_size`);
        const strides = config['strides'] === null || config['strides'] === undefined ? poolSize : squareSize(config['strides'], `${what}: strides`);
        this.pushLayer({ kind: 'maxPool2d', poolSize, strides, padding: padding(config['padding'], what) }, name);
        return;
      }
      case 'Flatten':
        checkChannelsLast(config, what);
        this.pushLayer({ kind: 'flatten' }, name);
        return;
      case 'Activation':
        this.applyActivation(config['activation'], name, what);
        return;
      case 'ReLU':
        for (const key of ['max_value', 'negative_slope', 'threshold'] as const) {
          const v = config[key];
          const neutral = v === undefined || v === null || (key !== 'max_value' && v === 0);
          if (!neutral) throw invalid(`${what}: ${key}=${String(v)} is not supported (only a plain relu is)`);
        }
        this.applyActivation('relu', name, what);
        return;
      case 'Softmax': {
        const axis = config['axis'];
        if (!(axis === undefined || axis === null || axis === -1 || (Array.isArray(axis) && axis.length === 1 && axis[0] === -1))) {
          throw invalid(`${what}: softmax over axis ${JSON.stringify(axis)} is not supported (only the last axis)`);
        }
        this.applyActivation('softmax', name, what);
        return;
      }
      default:
        throw invalid(`${what}: layer type ${className} is not supported (supported: InputLayer, Dense, Conv2D, MaxPooling2D, Flatten, Activation, ReLU, Softmax)`);
    }
  }

  finish(): ParsedSequentialTopology {
    if (this.inputShape === null) throw invalid('the model topology does not say its input shape (no batch_input_shape on the first layer or InputLayer)');
    const last = this.layers[this.layers.length - 1];
    if (last === undefined || last.kind !== 'dense') {
      throw invalid('the model must end with a Dense layer (the logits), optionally followed by activations');
    }
    const spec: ModelSpec = {
      inputShape: this.inputShape,
      layers: this.layers.map((l): LayerSpec => ({ ...l })),
      outputActivation: this.softmaxBy === null ? 'linear' : 'softmax',
    };
    checkShapes(spec, this.layerNames);
    return { spec, weightedLayerNames: this.weightedNames };
  }

  private addWeighted(layer: MutableLayer & { kind: 'dense' | 'conv2d' }, name: string, activation: unknown, what: string): void {
    this.pushLayer(layer, name);
    this.weightedNames.push(name);
    this.applyActivation(activation ?? 'linear', name, what);
  }

  private applyActivation(activation: unknown, name: string, what: string): void {
    if (activation === 'linear' || activation === null) return;
    if (activation === 'softmax') {
      this.softmaxBy = name;
      return;
    }
    if (activation !== 'relu') {
      throw invalid(`${what}: activation ${JSON.stringify(activation)} is not supported (only relu, linear and a final softmax)`);
    }
    // relu(maxpool(z)) = maxpool(relu(z)) and relu commutes with flatten, so walk back over those.
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const target = this.layers[i]!;
      if (target.kind === 'dense' || target.kind === 'conv2d') {
        target.activation = 'relu';
        return;
      }
    }
    throw invalid(`${what}: a relu before any Dense or Conv2D layer is not supported`);
  }

  private takeInputShape(config: JsonObject, what: string): void {
    const shape = config['batch_input_shape'] ?? config['batch_shape'];
    if (shape === undefined || shape === null) return;
    if (this.inputShape !== null || this.layers.length > 0) return; // Keras repeats it on nothing but the first layer; later copies are ignored like TF.js does.
    if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every((d) => Number.isInteger(d) && d > 0)) {
      throw invalid(`${what}: input shape ${JSON.stringify(shape)} must be [null, ...positive sizes]`);
    }
    this.inputShape = shape.slice(1) as number[];
  }

  private pushLayer(layer: MutableLayer, name: string): void {
    this.layers.push(layer);
    this.layerNames.push(`layer "${name}"`);
  }
}

export function parseSequentialTopology(modelTopology: unknown): ParsedSequentialTopology {
  let topology = modelTopology;
  // Models converted from Keras nest the architecture under model_config (next to training_config).
  if (isObject(topology) && isObject(topology['model_config'])) topology = topology['model_config'];
  if (!isObject(topology)) throw invalid('modelTopology is missing or not an object');
  const className = topology['class_name'];
  if (className !== 'Sequential') {
    throw invalid(`only Sequential models are supported, this one is ${JSON.stringify(className)} (a functional model)`);
  }
  const config = topology['config'];
  // Keras 2.1 wrote the layer list directly as the config; later versions wrap it in {name, layers}.
  const layers = Array.isArray(config) ? config : isObject(config) ? config['layers'] : undefined;
  if (!Array.isArray(layers)) throw invalid('the Sequential config has no layer list');
  const reader = new SequentialReader();
  layers.forEach((layer, i) => reader.read(layer, i));
  return reader.finish();
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw invalid(`${what} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
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

/** Dense needs a flat input, Conv2D and pooling an [h, w, c] one, and no size may shrink to zero. */
function checkShapes(spec: ModelSpec, names: readonly string[]): void {
  let shape = [...spec.inputShape];
  spec.layers.forEach((layer, i) => {
    const what = `${names[i] ?? `layer ${i}`} (${layer.kind})`;
    const needs = (rank: number): void => {
      if (shape.length !== rank) {
        throw invalid(`${what} gets an input of shape [${shape.join(', ')}], it needs rank ${rank}${rank === 1 ? ' (add a Flatten before it)' : ''}`);
      }
    };
    switch (layer.kind) {
      case 'dense':
        needs(1);
        shape = [layer.units];
        break;
      case 'conv2d':
      case 'maxPool2d': {
        needs(3);
        const window = layer.kind === 'conv2d' ? layer.kernelSize : layer.poolSize;
        const h = outputSize(shape[0]!, window, layer.strides, layer.padding);
        const w = outputSize(shape[1]!, window, layer.strides, layer.padding);
        if (h <= 0 || w <= 0) throw invalid(`${what}: window ${window} is larger than its input [${shape.join(', ')}]`);
        shape = [h, w, layer.kind === 'conv2d' ? layer.filters : shape[2]!];
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
    }
  });
}
