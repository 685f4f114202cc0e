import { createHash } from 'node:crypto';
import {
  carveHoldout,
  isLabeled,
  labelHistogram,
  loadDatasetSource,
  loadFashionMnist,
  splitForFederation,
  subset,
  type Dataset,
  type FederatedSplit,
  type PartitionScheme,
} from '../../common/data/index.ts';
import { FedfuseError } from '../../common/errors/index.ts';

/** A data set as a simulation gets it: training samples, and a separate test split when the source has one. */
export interface SimulationData {
  readonly name: string;
  readonly train: Dataset;
  readonly test: Dataset | null;
}

/**
 * `fashion-mnist`: Debian's package (its train split for clients and
 * calibration, its t10k split for the test set), from `fashionMnistDir`;
 * anything else as every fedfuse command reads a data set
 * (loadDatasetSource: `mnist`, a directory of .npy files, ...), with test
 * and calibration carved out of it. The samples must be labelled.
 */
export function loadSimulationData(dataset: string, fashionMnistDir: string): SimulationData {
  if (dataset === 'fashion-mnist') {
    return { name: 'fashion-mnist', train: loadFashionMnist('train', fashionMnistDir), test: loadFashionMnist('test', fashionMnistDir) };
  }
  const train = loadDatasetSource(dataset);
  if (train.numClasses === 0 || !isLabeled(train)) {
    throw new FedfuseError('invalid_argument', `--dataset '${dataset}' has unlabelled samples: a simulation needs labels (images.npy with labels.npy)`);
  }
  return { name: dataset === 'mnist' ? 'mnist' : train.name, train, test: null };
}

export interface SimulationSplitOptions {
  readonly clients: number;
  readonly scheme: PartitionScheme;
  readonly calibrationSize: number;
  readonly testSize: number;
  readonly clientSamples: number | null;
  /** With a separate test split: carve calibration from 'train' (default) or from the 'test' split. */
  readonly calibrationFrom?: 'train' | 'test';
  readonly seed: number;
}

/**
 * Server sets and client partitions, deterministic for the seed: calibration
 * is always carved from the training data (class-balanced, no client holds
 * it); the test set from the source's own test split when it has one
 * (stratified subset), else from the training data too.
 */
export function splitSimulationData(data: SimulationData, options: SimulationSplitOptions): FederatedSplit {
  const common = {
    clients: options.clients,
    scheme: options.scheme,
    calibrationSize: options.calibrationSize,
    seed: options.seed,
    ...(options.clientSamples !== null ? { clientPoolSize: options.clientSamples } : {}),
  };
  if (data.test === null) return splitForFederation(data.train, { ...common, testSize: options.testSize });
  if (options.calibrationFrom === 'test') {
    // Every training sample to the clients; calibration and test are disjoint parts of the test split.
    const split = splitForFederation(data.train, { ...common, calibrationSize: 0, testSize: 0 });
    const testSize = Math.min(options.testSize, data.test.count - options.calibrationSize);
    const held = carveHoldout(data.test.labels, { testSize, calibrationSize: options.calibrationSize, seed: options.seed });
    return { ...split, calibration: subset(data.test, held.calibration, `${data.name} calibration`), test: subset(data.test, held.test, `${data.name} test`) };
  }
  const split = splitForFederation(data.train, { ...common, testSize: 0 });
  const testSize = Math.min(options.testSize, data.test.count);
  const picked = carveHoldout(data.test.labels, { testSize, calibrationSize: 0, seed: options.seed }).test;
  return { ...split, test: subset(data.test, picked, `${data.name} test`) };
}

/** What results.json records about one client's share. */
export interface ClientShare {
  readonly clientId: string;
  readonly samples: number;
  readonly labelHistogram: number[];
  /** The worker thread hosting it. */
  readonly thread: number;
}

/**
 * A hash of every client's samples and labels, in client order: two runs
 * with the same value had the same partitions.
 */
export function partitionFingerprint(split: FederatedSplit): string {
  const hash = createHash('sha256');
  for (const c of split.clients) {
    hash.update(`${c.count};`);
    hash.update(new Uint8Array(c.labels.buffer, c.labels.byteOffset, c.labels.byteLength));
    hash.update(new Uint8Array(c.images.buffer, c.images.byteOffset, c.images.byteLength));
  }
  return hash.digest('hex').slice(0, 16);
}

export function clientShares(split: FederatedSplit, clientIds: readonly string[], threadOf: (clientIndex: number) => number): ClientShare[] {
  return split.clients.map((c, i) => ({ clientId: clientIds[i]!, samples: c.count, labelHistogram: labelHistogram(c), thread: threadOf(i) }));
}
