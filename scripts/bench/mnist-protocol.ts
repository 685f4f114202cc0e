import { carveHoldout, loadEmbeddedMnist, partition, subset, type Dataset } from '../../common/data/index.ts';

/**
 * The paper's MNIST protocol on the 10,000 embedded digits: a stratified test
 * set and a class-balanced calibration set are held out (never seen by a
 * client), and the rest is split among k clients with split-by-k (per class,
 * Dirichlet shares with concentrations evenly spaced from 1 to 5).
 */
export interface ProtocolData {
  readonly test: Dataset;
  readonly calibration: Dataset;
  /** The clients' samples: everything not in test or calibration. */
  readonly rest: readonly number[];
  readonly seed: number;
}

export interface ProtocolSizes {
  readonly testSize: number;
  readonly calibrationSize: number;
}

export const PAPER_SIZES: ProtocolSizes = { testSize: 2000, calibrationSize: 400 };

export function mnistProtocol(seed: number, sizes: ProtocolSizes = PAPER_SIZES): ProtocolData {
  const mnist = loadEmbeddedMnist();
  const holdout = carveHoldout(mnist.labels, { ...sizes, seed });
  return {
    test: subset(mnist, holdout.test, 'mnist test'),
    calibration: subset(mnist, holdout.calibration, 'mnist calibration'),
    rest: holdout.rest,
    seed,
  };
}

/** The k clients' data sets under split-by-k (deterministic for the protocol's seed). */
export function splitByK(data: ProtocolData, k: number): Dataset[] {
  const mnist = loadEmbeddedMnist();
  return partition(mnist.labels, k, { kind: 'split-by-k' }, data.seed, data.rest).map((indices, c) => subset(mnist, indices, `client ${c} of ${k}`));
}
