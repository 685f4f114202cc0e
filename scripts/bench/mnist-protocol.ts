import { carveHoldout, loadEmbeddedMnist, loadFashionMnist, partition, subset, type Dataset } from '../../common/data/index.ts';

/**
 * The paper's protocol data: a stratified test set and a class-balanced
 * calibration set are held out (never seen by a client), and the clients'
 * pool is split among k clients with split-by-k (per class, Dirichlet shares
 * with concentrations evenly spaced from 1 to 5).
 */
export interface ProtocolData {
  readonly test: Dataset;
  readonly calibration: Dataset;
  /** The data set the clients' samples come from. */
  readonly source: Dataset;
  /** The clients' samples (indices into `source`): never in test or calibration. */
  readonly rest: readonly number[];
  readonly seed: number;
}

export interface ProtocolSizes {
  readonly testSize: number;
  readonly calibrationSize: number;
}

export const PAPER_SIZES: ProtocolSizes = { testSize: 2000, calibrationSize: 400 };

/** The 10,000 embedded digits: test, calibration and the clients' pool all carved from them. */
export function mnistProtocol(seed: number, sizes: ProtocolSizes = PAPER_SIZES): ProtocolData {
  const mnist = loadEmbeddedMnist();
  const holdout = carveHoldout(mnist.labels, { ...sizes, seed });
  return {
    test: subset(mnist, holdout.test, 'mnist test'),
    calibration: subset(mnist, holdout.calibration, 'mnist calibration'),
    source: mnist,
    rest: holdout.rest,
    seed,
  };
}

/**
 * Fashion-MNIST (Debian's dataset-fashion-mnist): test and calibration carved
 * from the t10k images, the clients' pool a stratified sample of `poolSize`
 * of the 60,000 training images (the whole set trains CNNs too slowly for the
 * shared 2-core machine).
 */
export function fashionMnistProtocol(seed: number, poolSize: number, sizes: ProtocolSizes = PAPER_SIZES): ProtocolData {
  const t10k = loadFashionMnist('test');
  const train = loadFashionMnist('train');
  const holdout = carveHoldout(t10k.labels, { ...sizes, seed });
  const pool = carveHoldout(train.labels, { testSize: Math.min(poolSize, train.count), calibrationSize: 0, seed });
  return {
    test: subset(t10k, holdout.test, 'fashion-mnist test'),
    calibration: subset(t10k, holdout.calibration, 'fashion-mnist calibration'),
    source: train,
    rest: pool.test,
    seed,
  };
}

/** The k clients' data sets under split-by-k (deterministic for the protocol's seed). */
export function splitByK(data: ProtocolData, k: number): Dataset[] {
  return partition(data.source.labels, k, { kind: 'split-by-k' }, data.seed, data.rest).map((indices, c) => subset(data.source, indices, `client ${c} of ${k}`));
}
