import { FedfuseError } from '../errors/index.ts';

/**
 * A labelled (or unlabelled) set of samples held in flat typed arrays, the
 * form that TF.js tensors are built from without copying element by element.
 *
 * - `images` is row-major: sample i occupies `images[i*F .. (i+1)*F)`, where
 *   F = product of `sampleShape`. Image data sets hold values in [0, 1].
 * - `labels[i]` is the class of sample i, in [0, numClasses), or `UNLABELED`
 *   (-1) for a sample without a label. A calibration-only set (method.md: the
 *   linear fusion variants need no labels) is an ordinary Dataset whose labels
 *   are all -1; one type keeps `subset`, partitioning and the wire code the
 *   same for both, and `isLabeled` tells them apart.
 */
export interface Dataset {
  readonly name: string;
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
  /** Shape of one sample without the batch axis, e.g. [28, 28, 1]. */
  readonly sampleShape: readonly number[];
  /** Number of classes of the task; labels are in [0, numClasses). 0 when unknown (unlabelled set). */
  readonly numClasses: number;
}

/** The label of a sample that has none. */
export const UNLABELED = -1;

/** Number of values per sample (product of `sampleShape`). */
export function featureCount(sampleShape: readonly number[]): number {
  return sampleShape.reduce((a, b) => a * b, 1);
}

/** True when every sample has a label. */
export function isLabeled(ds: Dataset): boolean {
  return ds.labels.every((l) => l !== UNLABELED);
}

/**
 * Builds a Dataset after checking that the arrays agree with count and shape
 * and that every label is UNLABELED or in [0, numClasses). Loaders go through
 * here so a Dataset that exists is a consistent one.
 */
export function makeDataset(fields: Dataset): Dataset {
  const { name, images, labels, count, sampleShape, numClasses } = fields;
  if (!Number.isInteger(count) || count < 0) throw invalid(`${name}: count must be a non-negative integer, got ${count}`);
  if (sampleShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw invalid(`${name}: sampleShape must hold positive integers, got [${sampleShape.join(', ')}]`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 0) throw invalid(`${name}: numClasses must be a non-negative integer, got ${numClasses}`);
  const features = featureCount(sampleShape);
  if (images.length !== count * features) {
    throw invalid(`${name}: ${count} samples of shape [${sampleShape.join(', ')}] need ${count * features} values, images has ${images.length}`);
  }
  if (labels.length !== count) throw invalid(`${name}: ${count} samples but ${labels.length} labels`);
  for (let i = 0; i < count; i++) {
    const l = labels[i]!;
    if (l !== UNLABELED && (l < 0 || l >= numClasses)) {
      throw invalid(`${name}: label ${l} of sample ${i} is outside [0, ${numClasses})`);
    }
  }
  return { name, images, labels, count, sampleShape: [...sampleShape], numClasses };
}

/** The samples at `indices` (in that order; repeats allowed), copied into a new Dataset. */
export function subset(ds: Dataset, indices: readonly number[], name: string = ds.name): Dataset {
  const features = featureCount(ds.sampleShape);
  const images = new Float32Array(indices.length * features);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, k) => {
    if (!Number.isInteger(index) || index < 0 || index >= ds.count) {
      throw invalid(`subset of ${ds.name}: index ${index} is outside [0, ${ds.count})`);
    }
    images.set(ds.images.subarray(index * features, (index + 1) * features), k * features);
    labels[k] = ds.labels[index]!;
  });
  return { name, images, labels, count: indices.length, sampleShape: [...ds.sampleShape], numClasses: ds.numClasses };
}

/** Number of samples of each class, length numClasses. Unlabelled samples are not counted. */
export function labelHistogram(ds: Dataset): number[] {
  const counts = new Array<number>(ds.numClasses).fill(0);
  for (const l of ds.labels) {
    if (l === UNLABELED) continue;
    if (l < 0 || l >= ds.numClasses) throw invalid(`${ds.name}: label ${l} is outside [0, ${ds.numClasses})`);
    counts[l]!++;
  }
  return counts;
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}
