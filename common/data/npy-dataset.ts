import { existsSync } from 'node:fs';
import path from 'node:path';
import { FedfuseError } from '../errors/index.ts';
import { makeDataset, UNLABELED, type Dataset } from './dataset.ts';
import { readNpy, type NpyArray } from './npy-format.ts';

export interface NpyDatasetOptions {
  /** Dataset name; default: the images file name without `.npy` (the directory name for loadNpyDir). */
  readonly name?: string;
  /** Number of classes; default: largest label + 1 (0 for an unlabelled set). Must exceed every label. */
  readonly numClasses?: number;
}

/**
 * A Dataset from NumPy arrays: images of shape (count, ...sampleShape) and,
 * optionally, integer labels of shape (count,).
 *
 * - uint8 images are scaled to [0, 1] (divided by 255); float32 and float64
 *   images are kept as they are (converted to float32), since the caller may
 *   have normalised them on purpose. The sample shape is what the file says:
 *   (N, 784) gives [784], (N, 28, 28, 1) gives [28, 28, 1].
 * - Labels may be uint8, int32 or int64 (numpy's default); int64 values must
 *   fit in int32 and none may be negative.
 * - Without labels the set is unlabelled (every label UNLABELED = -1), which
 *   is all a calibration set for the linear fusion needs.
 */
export function loadNpyDataset(imagesFile: string, labelsFile?: string, options: NpyDatasetOptions = {}): Dataset {
  const name = options.name ?? path.basename(imagesFile).replace(/\.npy$/i, '');
  const array = readNpy(imagesFile);
  if (array.shape.length < 2) {
    throw invalid(`${imagesFile}: images need shape (count, ...sample shape), found (${array.shape.join(', ')})`);
  }
  const count = array.shape[0]!;
  const sampleShape = array.shape.slice(1);
  const images = imagesAsUnitFloats(array, imagesFile);

  let labels: Int32Array;
  let numClasses = options.numClasses ?? 0;
  if (labelsFile === undefined) {
    labels = new Int32Array(count).fill(UNLABELED);
  } else {
    labels = labelsAsInt32(readNpy(labelsFile), labelsFile);
    if (labels.length !== count) throw invalid(`${imagesFile} has ${count} samples but ${labelsFile} has ${labels.length} labels`);
    const maxLabel = labels.reduce((m, l) => Math.max(m, l), -1);
    numClasses = options.numClasses ?? maxLabel + 1;
    if (maxLabel >= numClasses) throw invalid(`${labelsFile}: label ${maxLabel} is not below numClasses ${numClasses}`);
  }
  return makeDataset({ name, images, labels, count, sampleShape, numClasses });
}

/** `images.npy` and, when present, `labels.npy` from a directory. */
export function loadNpyDir(dir: string, options: NpyDatasetOptions = {}): Dataset {
  const imagesFile = path.join(dir, 'images.npy');
  const labelsFile = path.join(dir, 'labels.npy');
  if (!existsSync(imagesFile)) throw invalid(`${dir} has no images.npy (expected images.npy and, for a labelled set, labels.npy)`);
  return loadNpyDataset(imagesFile, existsSync(labelsFile) ? labelsFile : undefined, {
    ...options,
    name: options.name ?? path.basename(path.resolve(dir)),
  });
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
