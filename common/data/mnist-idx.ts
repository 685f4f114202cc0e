import { FedfuseError } from '../errors/index.ts';
import type { Dataset } from './dataset.ts';
import { assertSplit, findIdxSplitFiles, loadIdxDataset, type IdxSplit } from './idx-dataset.ts';

/**
 * The full MNIST from its IDX distribution files in `dir` (60,000 + 10,000),
 * for when the 10,000 embedded digits are not enough. No default directory:
 * no package we can install ships these files.
 */
export function loadMnistIdx(dir: string, split: IdxSplit = 'train'): Dataset {
  assertSplit(split);
  const files = findIdxSplitFiles(dir, split);
  if (!files) {
    const prefix = split === 'train' ? 'train' : 't10k';
    throw new FedfuseError(
      'invalid_argument',
      `MNIST IDX files not found in ${dir}: expected ${prefix}-images-idx3-ubyte.gz and ${prefix}-labels-idx1-ubyte.gz (or the same without .gz)`,
    );
  }
  return loadIdxDataset(files.images, files.labels, { name: `mnist-${split}`, numClasses: 10 });
}
