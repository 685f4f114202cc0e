import type * as tf from '@tensorflow/tfjs';
import { activationShapes, type ModelSpec } from '../model/spec.ts';
import { specIndexOfWeightedLayer } from './layer-outputs.ts';
import type { SampleChunk } from './samples.ts';

/**
 * What every attribution method provides to the chunked driver: for one chunk
 * of samples, the signed contribution of every neuron for every sample, one
 * [n, width] tensor per weighted layer (Conv2D channels already summed over
 * positions). The driver turns these into mean |.| scores, or keeps them per
 * sample (for completeness checks).
 */
export interface NeuronAttributor {
  /** Synchronous tensor work (callers wrap nothing: implementations tidy themselves). The caller disposes the result. */
  attribute(chunk: SampleChunk): tf.Tensor2D[];
  /** Samples per chunk when the caller gives no batchSize: keeps the chunk's tensors near CHUNK_VALUE_BUDGET values. */
  readonly defaultBatchSize: number;
  /** False for label-free methods: their samples may be unlabelled (label -1). */
  readonly needsLabels: boolean;
  /** Frees tensors the attributor holds across chunks (e.g. the baseline's activations). */
  dispose(): void;
}

/**
 * About how many float values of activations (per tensor of the forward pass)
 * one chunk may hold: 4M values = 16 MB. With the gradients and temporaries
 * alongside, a chunk's peak stays well under a few hundred MB, for any number
 * of samples.
 */
export const CHUNK_VALUE_BUDGET = 1 << 22;

/** Values one input row produces across the whole forward pass (input and every layer's output). */
export function activationValuesPerRow(spec: ModelSpec): number {
  return activationShapes(spec).reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
}

/** Values one row produces in the layers after weighted layer `layer` (its own output included): the cost of re-running the head. */
export function headValuesPerRow(spec: ModelSpec, layer: number): number {
  const shapes = activationShapes(spec).slice(specIndexOfWeightedLayer(spec, layer) + 1);
  return shapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
}

/** Samples per chunk when each sample becomes `rowsPerSample` rows of the forward pass. */
export function batchSizeForBudget(spec: ModelSpec, rowsPerSample: number): number {
  return Math.max(1, Math.floor(CHUNK_VALUE_BUDGET / (rowsPerSample * activationValuesPerRow(spec))));
}
