import { FedfuseError } from '../errors/index.ts';
import { makeDataset, UNLABELED, type Dataset } from './dataset.ts';
import type { NpyArray } from './npy-codec.ts';

/**
 * A Dataset from decoded NumPy arrays: images of shape (count, ...sampleShape)
 * and, optionally, integer labels of shape (count,). No file access, so the
 * browser client builds its data set from picked files with the same rules
 * as loadNpyDataset (npy-dataset.ts):
 *
 * - uint8 images are scaled to [0, 1] (divided by 255); float32 and float64
 *   images are kept as they are (converted to float32), since the caller may
 *   have normalised them on purpose. The sample shape is what the file says:
 *   (N, 784) gives [784], (N, 28, 28, 1) gives [28, 28, 1].
 * - Labels may be uint8, int32 or int64 (numpy's default); int64 values must
 *   fit in int32 and none may be negative.
 * - Without labels the set is unlabelled (every label UNLABELED = -1), which
 *   is all a calibration set for the linear fusion needs.
 *
 * `imagesName` and `labelsName` name the sources in error messages.
 */
export function datasetFromNpyArrays(
  images: NpyArray,
  labels: NpyArray | null,
  names: { readonly dataset: string; readonly images: string; readonly labels?: string; readonly numClasses?: number },
): Dataset {
  const imagesFile = names.images;
  const labelsFile = names.labels ?? 'labels';
  if (images.shape.length < 2) {
    throw invalid(`${imagesFile}: images need shape (count, ...sample shape), found (${images.shape.join(', ')})`);
  }
  const count = images.shape[0]!;
  const sampleShape = images.shape.slice(1);
  const imageValues = imagesAsUnitFloats(images, imagesFile);

  let labelValues: Int32Array;
  let numClasses = names.numClasses ?? 0;
  if (labels === null) {
    labelValues = new Int32Array(count).fill(UNLABELED);
  } else {
    labelValues = labelsAsInt32(labels, labelsFile);
    if (labelValues.length !== count) throw invalid(`${imagesFile} has ${count} samples but ${labelsFile} has ${labelValues.length} labels`);
    const maxLabel = labelValues.reduce((m, l) => Math.max(m, l), -1);
    numClasses = names.numClasses ?? maxLabel + 1;
    if (maxLabel >= numClasses) throw invalid(`${labelsFile}: label ${maxLabel} is not below numClasses ${numClasses}`);
  }
  return makeDataset({ name: names.dataset, images: imageValues, labels: labelValues, count, sampleShape, numClasses });
}

function imagesAsUnitFloats(array: NpyArray, file: string): Float32Array {
  switch (array.dtype) {
    case 'uint8': {
      const out = new Float32Array(array.data.length);
      for (let i = 0; i < out.length; i++) out[i] = array.data[i]! / 255;
      return out;
    }
    case 'float32':
    case 'float64': {
      const out = array.dtype === 'float32' ? array.data : Float32Array.from(array.data);
      const bad = out.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new FedfuseError('non_finite', `${file}: value ${out[bad]} at position ${bad} is not finite`);
      return out;
    }
    case 'int32':
    case 'int64':
      throw invalid(`${file}: images must be uint8 (0..255) or float, found ${array.dtype}`);
  }
}

function labelsAsInt32(array: NpyArray, file: string): Int32Array {
  if (array.shape.length !== 1) throw invalid(`${file}: labels need shape (count,), found (${array.shape.join(', ')})`);
  let labels: Int32Array;
  switch (array.dtype) {
    case 'uint8':
      labels = Int32Array.from(array.data);
      break;
    case 'int32':
      labels = array.data;
      break;
    case 'int64': {
      labels = new Int32Array(array.data.length);
      for (let i = 0; i < labels.length; i++) {
        const v = array.data[i]!;
        if (v < 0n || v > 0x7fffffffn) throw invalid(`${file}: label ${v} of sample ${i} does not fit in int32`);
        labels[i] = Number(v);
      }
      break;
    }
    case 'float32':
    case 'float64':
      throw invalid(`${file}: labels must be integers (uint8, int32 or int64), found ${array.dtype}`);
  }
  const negative = labels.findIndex((l) => l < 0);
  if (negative >= 0) throw invalid(`${file}: label ${labels[negative]} of sample ${negative} is negative`);
  return labels;
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}
