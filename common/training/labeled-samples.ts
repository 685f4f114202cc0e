import { FedfuseError } from '../errors/index.ts';
import { layerWidths, type ModelSpec } from '../model/spec.ts';

/**
 * Samples with their class labels, flat: sample i's values are
 * images[i * rowSize, (i + 1) * rowSize) in the layout of spec.inputShape
 * (HWC for images). The shape the datasets of common/data produce.
 */
export interface LabeledSamples {
  readonly images: Float32Array;
  readonly labels: Int32Array | Uint8Array;
  readonly count: number;
}

/** Values per sample for a spec: the product of its input shape. */
export function sampleSize(spec: ModelSpec): number {
  return spec.inputShape.reduce((a, b) => a * b, 1);
}

/** Throws a typed error unless `data` holds exactly `count` samples of the spec's input shape with labels in [0, classes). */
export function validateLabeledSamples(spec: ModelSpec, data: LabeledSamples, what = 'samples'): void {
  const { images, labels, count } = data;
  if (!Number.isInteger(count) || count <= 0) throw new FedfuseError('invalid_argument', `${what}: count must be a positive integer, got ${count}`);
  const rowSize = sampleSize(spec);
  if (images.length !== count * rowSize) {
    throw new FedfuseError('shape_mismatch', `${what}: ${count} samples of ${rowSize} values need ${count * rowSize} image values, got ${images.length}`);
  }
  if (labels.length !== count) throw new FedfuseError('shape_mismatch', `${what}: ${count} samples need ${count} labels, got ${labels.length}`);
  const classes = layerWidths(spec).at(-1) ?? 0;
  for (let i = 0; i < count; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) throw new FedfuseError('invalid_argument', `${what}: label ${i} is ${y}, the model has ${classes} classes`);
  }
  for (let i = 0; i < images.length; i++) {
    if (!Number.isFinite(images[i]!)) throw new FedfuseError('non_finite', `${what}: image value ${i} is ${images[i]}`);
  }
}

/** Copies the samples at `indices` into a new batch, in that order. */
export function gatherBatch(spec: ModelSpec, data: LabeledSamples, indices: readonly number[]): { images: Float32Array; labels: Int32Array } {
  const rowSize = sampleSize(spec);
  const images = new Float32Array(indices.length * rowSize);
  const labels = new Int32Array(indices.length);
  indices.forEach((sample, row) => {
    images.set(data.images.subarray(sample * rowSize, (sample + 1) * rowSize), row * rowSize);
    labels[row] = data.labels[sample]!;
  });
  return { images, labels };
}
