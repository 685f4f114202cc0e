import { FedfuseError } from '../errors/index.ts';
import type { Dataset } from './dataset.ts';
import { assertSplit, findIdxSplitFiles, loadIdxDataset, type IdxSplit } from './idx-dataset.ts';

/** Where the Debian package dataset-fashion-mnist installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Class names of Fashion-MNIST, by label. */
export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/**
 * Fashion-MNIST (Zalando): 60,000 training and 10,000 test images, 28x28
 * grey levels scaled to [0, 1], 10 classes. Not shipped with fedfuse: it
 * comes from the Debian package, and the error says how to get it.
 */
export function loadFashionMnist(split: IdxSplit, dir: string = FASHION_MNIST_DIR): Dataset {
  assertSplit(split);
  const files = findIdxSplitFiles(dir, split);
  if (!files) {
    throw new FedfuseError(
      'invalid_argument',
      `Fashion-MNIST not found in ${dir}: install it with \`apt-get install dataset-fashion-mnist\` (Debian package dataset-fashion-mnist)`,
    );
  }
  return loadIdxDataset(files.images, files.labels, { name: `fashion-mnist-${split}`, numClasses: FASHION_MNIST_CLASS_NAMES.length });
}
