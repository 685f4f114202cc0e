import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { applyLayer, INFERENCE, type LayerMode, type LayerTensors } from './layer-ops.ts';
import { hasParameters, MODEL_INPUT, type ModelSpec } from './spec.ts';
import { layerInputs } from './model-graph.ts';
import type { Network } from './network.ts';

export { activate, applyPlainLayer, preActivation, batchNormRows, INFERENCE, type LayerMode, type LayerTensors } from './layer-ops.ts';

/**
 * A functional (tf-ops only) forward pass over a Network's layer graph. Fusion
 * and attribution need values at arbitrary layers, values substituted at a
 * layer, and gradients with respect to hidden activations; a functional pass
 * gives all three without a tfjs LayersModel. Tensors are NHWC for
 * convolutions, like TF.js.
 */
export interface NetworkTensors {
  readonly spec: ModelSpec;
  /** One entry per layer with parameters, in order (Network.layers). */
  readonly layers: readonly LayerTensors[];
}

/** Uploads a Network's weights as tensors. The caller owns them: call disposeNetworkTensors. */
export function toNetworkTensors(net: Network): NetworkTensors {
  return {
    spec: net.spec,
    layers: net.layers.map((lw) => ({
      kernel: tf.tensor(lw.kernel, [...lw.kernelShape], 'float32'),
      bias: lw.bias === null ? null : tf.tensor1d(lw.bias, 'float32'),
    })),
  };
}

export function disposeNetworkTensors(t: NetworkTensors): void {
  for (const l of t.layers) {
    l.kernel.dispose();
    l.bias?.dispose();
  }
}

/** For each layer of the spec, its index into NetworkTensors.layers, or -1. */
export function parameterIndexOfLayer(spec: ModelSpec): number[] {
  let p = 0;
  return spec.layers.map((layer) => (hasParameters(layer) ? p++ : -1));
}

export interface GraphRun {
  /** Layers whose outputs are returned, in this order. Default: the last layer (the logits). */
  readonly outputs?: readonly number[];
  /** Layer outputs given instead of computed (layer index -> value); what only they need is never computed. */
  readonly given?: ReadonlyMap<number, tf.Tensor>;
  /** Added to these layers' outputs: zero tensors here make the gradient with respect to them the gradient with respect to the outputs. */
  readonly probes?: ReadonlyMap<number, tf.Tensor>;
  /** Default INFERENCE. */
  readonly mode?: LayerMode;
  /** In training, each BatchNorm layer's batch statistics, by layer index. */
  readonly onBatchStatistics?: (layer: number, mean: tf.Tensor1D, variance: tf.Tensor1D) => void;
}

/**
 * Runs the graph on x (or on `given` values alone, x null) and returns the
 * requested layers' outputs. Only layers that the outputs depend on are
 * computed. No tidy: call inside the caller's tf.tidy.
 */
export function runGraph(net: NetworkTensors, x: tf.Tensor | null, run: GraphRun = {}): tf.Tensor[] {
  const spec = net.spec;
  const last = spec.layers.length - 1;
  const wanted = run.outputs ?? [last];
  const given = run.given ?? new Map<number, tf.Tensor>();
  const needed = new Set<number>();
  const stack = [...wanted];
  let needsInput = false;
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (needed.has(i)) continue;
    needed.add(i);
    if (given.has(i)) continue;
    for (const from of layerInputs(spec, i)) {
      if (from === MODEL_INPUT) needsInput = true;
      else stack.push(from);
    }
  }
  if (needsInput && x === null) throw new FedfuseError('internal', 'the forward pass needs the model input for the requested layers');
  const parameterIndex = parameterIndexOfLayer(spec);
  const mode = run.mode ?? INFERENCE;
  const values: (tf.Tensor | undefined)[] = new Array(spec.layers.length);
  for (let i = 0; i <= last; i++) {
    if (!needed.has(i)) continue;
    let value = given.get(i);
    if (value === undefined) {
      const inputs = layerInputs(spec, i).map((from) => (from === MODEL_INPUT ? x! : values[from]!));
      const p = parameterIndex[i]!;
      const layerMode: LayerMode = mode.training
        ? {
            training: true,
            // Each dropout layer its own mask stream; the caller varies dropoutSeed per batch.
            dropoutSeed: ((mode.dropoutSeed ?? 0) * 1_000_003 + i * 7_919) % 2_147_483_647,
            onBatchStatistics: (mean, variance) => run.onBatchStatistics?.(i, mean, variance),
          }
        : mode;
      value = applyLayer(spec.layers[i]!, p === -1 ? null : net.layers[p]!, inputs, layerMode);
    }
    const probe = run.probes?.get(i);
    values[i] = probe === undefined ? value : tf.add(value, probe);
  }
  return wanted.map((i) => values[i]!);
}

/**
 * Applies a chain segment spec.layers[from, to) to x, the output of layer
 * from − 1 (or the model input when from is 0). For chains of layers only
 * (attribution's block-by-block pass); a layer of the segment that reads
 * anything else is an internal error.
 */
export function applyLayers(net: NetworkTensors, x: tf.Tensor, from: number, to: number): tf.Tensor {
  return tf.tidy(() => {
    if (from >= to) return x.clone();
    const given = new Map<number, tf.Tensor>();
    if (from > 0) given.set(from - 1, x);
    const [out] = runGraph(net, from === 0 ? x : null, { outputs: [to - 1], given });
    return out === x ? x.clone() : out!;
  });
}

/** Logits of the network (the last layer's output, never the softmax), in inference mode. */
export function forwardLogits(net: NetworkTensors, x: tf.Tensor, mode: LayerMode = INFERENCE): tf.Tensor2D {
  return tf.tidy(() => {
    const [out] = runGraph(net, x, { mode });
    return (out === x ? x.clone() : out) as tf.Tensor2D;
  });
}

/** Class probabilities (softmax of the logits). */
export function forwardProbabilities(net: NetworkTensors, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(forwardLogits(net, x)));
}

/** Reshapes flat sample rows into [n, ...spec.inputShape]. */
export function batchOf(spec: ModelSpec, images: Float32Array, n: number): tf.Tensor {
  return tf.tensor(images, [n, ...spec.inputShape], 'float32');
}
