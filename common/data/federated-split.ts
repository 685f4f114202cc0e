import { subset, type Dataset } from './dataset.ts';
import { carveHoldout } from './holdout.ts';
import { partition } from './partition.ts';
import type { PartitionScheme } from './partition-scheme.ts';

export interface FederatedSplitOptions {
  readonly clients: number;
  readonly scheme: PartitionScheme;
  /** Class-balanced, unlabelled use on the server; never held by a client. */
  readonly calibrationSize: number;
  /** Held-out labelled evaluation set of the server; never held by a client. */
  readonly testSize: number;
  readonly seed: number;
  /** Use at most this many of the remaining samples for the clients (all when absent). */
  readonly clientPoolSize?: number;
}

export interface FederatedSplit {
  readonly clients: Dataset[];
  readonly calibration: Dataset;
  readonly test: Dataset;
}

/**
 * One data set cut the way a federated experiment needs it: a calibration set
 * and a test set for the server, and the rest partitioned among the clients
 * by the scheme, with no sample in two places. Deterministic for a seed.
 */
export function splitForFederation(ds: Dataset, options: FederatedSplitOptions): FederatedSplit {
  const holdout = carveHoldout(ds.labels, { testSize: options.testSize, calibrationSize: options.calibrationSize, seed: options.seed });
  const pool = options.clientPoolSize === undefined ? holdout.rest : holdout.rest.slice(0, options.clientPoolSize);
  const parts = partition(ds.labels, options.clients, options.scheme, options.seed, pool);
  return {
    clients: parts.map((indices, i) => subset(ds, indices, `${ds.name} client ${i}`)),
    calibration: subset(ds, holdout.calibration, `${ds.name} calibration`),
    test: subset(ds, holdout.test, `${ds.name} test`),
  };
}
