import { existsSync } from 'node:fs';
import path from 'node:path';
import { FedfuseError } from '../errors/index.ts';
import { makeDataset, type Dataset } from './dataset.ts';
import { readIdxImages, readIdxLabels } from './idx-format.ts';

export type IdxSplit = 'train' | 'test';

/** Pixel byte -> value in [0, 1], computed once (a lookup is faster than dividing 47M times). */
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/**
 * A Dataset from an IDX image file and its label file (gzipped or plain):
 * pixels scaled to [0, 1], sample shape [rows, cols, 1]. A label outside
 * [0, numClasses) or a count that differs between the two files means the
 * files are damaged or do not belong together: 'bad_message'.
 */
export function loadIdxDataset(imagesFile: string, labelsFile: string, options: { name: string; numClasses: number }): Dataset {
  const { count, rows, cols, pixels } = readIdxImages(imagesFile);
  const labels = readIdxLabels(labelsFile);
  if (labels.length !== count) {
    throw new FedfuseError('bad_message', `${imagesFile} has ${count} images but ${labelsFile} has ${labels.length} labels`);
  }
  const bad = labels.findIndex((l) => l >= options.numClasses);
  if (bad >= 0) {
    throw new FedfuseError('bad_message', `${labelsFile}: label ${labels[bad]} of sample ${bad} is outside [0, ${options.numClasses})`);
  }
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = BYTE_TO_UNIT[pixels[i]!]!;
  return makeDataset({ name: options.name, images, labels, count, sampleShape: [rows, cols, 1], numClasses: options.numClasses });
}

/**
 * The image and label files of one split of an MNIST-layout directory, or
 * undefined when either is missing. Looks for the distribution names
 * (`train-images-idx3-ubyte.gz`; `t10k-...` for test), then the same without
 * `.gz`, then the dotted variant some mirrors use (`train-images.idx3-ubyte`).
 */
export function findIdxSplitFiles(dir: string, split: IdxSplit): { images: string; labels: string } | undefined {
  const prefix = split === 'train' ? 'train' : 't10k';
  const first = (names: string[]): string | undefined => names.map((n) => path.join(dir, n)).find((f) => existsSync(f));
  const images = first([`${prefix}-images-idx3-ubyte.gz`, `${prefix}-images-idx3-ubyte`, `${prefix}-images.idx3-ubyte`]);
  const labels = first([`${prefix}-labels-idx1-ubyte.gz`, `${prefix}-labels-idx1-ubyte`, `${prefix}-labels.idx1-ubyte`]);
  return images && labels ? { images, labels } : undefined;
}

export function assertSplit(split: string): asserts split is IdxSplit {
  if (split !== 'train' && split !== 'test') {
    throw new FedfuseError('invalid_argument', `split must be 'train' or 'test', got '${split}'`);
  }
}
