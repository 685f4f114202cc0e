import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { batchOf } from '../model/forward.ts';
import { layerWidths, type ModelSpec } from '../model/spec.ts';

/**
 * The labelled samples attribution is computed on: a client's own training
 * data, or the server's calibration set when it has labels. Flat row-major
 * images (sample i at `images[i*F, (i+1)*F)`, F = product of the model's input
 * shape) and one class per sample. Structural on purpose: a `Dataset` from
 * common/data satisfies it without conversion.
 */
export interface LabelledSamples {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/** The label of a sample without one (as in common/data). */
export const UNLABELED = -1;

export function featuresPerSample(spec: ModelSpec): number {
  return spec.inputShape.reduce((a, b) => a * b, 1);
}

export function classCount(spec: ModelSpec): number {
  const widths = layerWidths(spec);
  const classes = widths[widths.length - 1];
  if (classes === undefined) throw new FedfuseError('invalid_argument', 'the model has no weighted layer');
  return classes;
}

/**
 * Checks that the samples fit the model: at least one sample, images of exactly
 * the right length and finite, every label a class of the model. Attribution
 * targets the true class's logit, so unlabelled samples (label -1) are refused
 * unless `labelsRequired` is false (a label-free method such as 'activation',
 * run on an unlabelled calibration set).
 */
export function validateLabelledSamples(samples: LabelledSamples, spec: ModelSpec, labelsRequired = true, what = 'attribution samples'): void {
  const { images, labels, count } = samples;
  if (!Number.isInteger(count) || count < 1) {
    throw new FedfuseError('invalid_argument', `${what}: need at least one sample, count is ${count}`);
  }
  const features = featuresPerSample(spec);
  if (images.length !== count * features) {
    throw new FedfuseError('shape_mismatch', `${what}: ${count} samples of ${features} values need ${count * features} values, images has ${images.length}`);
  }
  if (labels.length < count) {
    throw new FedfuseError('shape_mismatch', `${what}: ${count} samples but ${labels.length} labels`);
  }
  const classes = classCount(spec);
  for (let i = 0; i < count; i++) {
    const label = labels[i]!;
    if (!labelsRequired && label === UNLABELED) continue;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new FedfuseError('invalid_argument', `${what}: label ${label} of sample ${i} is not a class of the model (0..${classes - 1}); attribution needs labelled samples`);
    }
  }
  for (let i = 0; i < count * features; i++) {
    if (!Number.isFinite(images[i]!)) throw new FedfuseError('non_finite', `${what}: image value ${i} is ${images[i]}`);
  }
}

/** The first `n` samples, as views (no copy). */
export function firstSamples(samples: LabelledSamples, spec: ModelSpec, n: number): LabelledSamples {
  const features = featuresPerSample(spec);
  return {
    images: samples.images.subarray(0, n * features),
    labels: samples.labels.subarray(0, n),
    count: n,
  };
}

/** One chunk of samples as tensors: inputs [n, ...inputShape] and the one-hot mask of the true classes [n, classes]. */
export interface SampleChunk {
  readonly inputs: tf.Tensor;
  readonly targetMask: tf.Tensor2D;
  readonly count: number;
}

/** Uploads samples [start, start + n) as a chunk (an unlabelled sample gets an all-zero mask row). The caller disposes both tensors. */
export function sampleChunk(samples: LabelledSamples, spec: ModelSpec, start: number, n: number): SampleChunk {
  const features = featuresPerSample(spec);
  const inputs = batchOf(spec, samples.images.slice(start * features, (start + n) * features), n);
  const targetMask = tf.tidy(() => tf.oneHot(tf.tensor1d(samples.labels.slice(start, start + n), 'int32'), classCount(spec)).toFloat() as tf.Tensor2D);
  return { inputs, targetMask, count: n };
}
