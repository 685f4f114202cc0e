import { existsSync } from 'node:fs';
import path from 'node:path';
import { FedfuseError } from '../errors/index.ts';
import type { Dataset } from './dataset.ts';
import { datasetFromNpyArrays } from './npy-arrays.ts';
import { readNpy } from './npy-format.ts';

export interface NpyDatasetOptions {
  /** Dataset name; default: the images file name without `.npy` (the directory name for loadNpyDir). */
  readonly name?: string;
  /** Number of classes; default: largest label + 1 (0 for an unlabelled set). Must exceed every label. */
  readonly numClasses?: number;
}

/**
 * A Dataset from NumPy files: images of shape (count, ...sampleShape) and,
 * optionally, integer labels of shape (count,); the conversion rules are
 * datasetFromNpyArrays' (npy-arrays.ts).
 */
export function loadNpyDataset(imagesFile: string, labelsFile?: string, options: NpyDatasetOptions = {}): Dataset {
  const name = options.name ?? path.basename(imagesFile).replace(/\.npy$/i, '');
  return datasetFromNpyArrays(readNpy(imagesFile), labelsFile === undefined ? null : readNpy(labelsFile), {
    dataset: name,
    images: imagesFile,
    ...(labelsFile === undefined ? {} : { labels: labelsFile }),
    ...(options.numClasses === undefined ? {} : { numClasses: options.numClasses }),
  });
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

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}
