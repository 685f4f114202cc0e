/**
 * Model fusion, pure (no I/O): `fuse(parents, calibration, options)` with
 * KF-linear, HF, FedAvg and plain averaging behind one interface, plus
 * `ensembleProbabilities` (the evaluation upper bound). Building blocks are
 * re-exported by name and grouped under `kmeans`, `linalg`, `assignment`.
 */
export * from './fuse.ts';
export * from './fusion-options.ts';
export * from './fusion-report.ts';
export * from './kf-linear.ts';
export * from './hungarian-fusion.ts';
export * from './parameter-average.ts';
export { fuseOptimalTransport, fuseWeightMatching, permuteChannelSpace, validateAlignedMeanInputs } from './alignment/index.ts';
export * from './ensemble.ts';
export * from './neuron-importance.ts';
export * from './neuron-fusion.ts';
export * from './design-matrix.ts';
export * from './aligned-prior.ts';
export * from './class-consensus.ts';
export * from './neuron-mixing.ts';
export * from './output-calibration.ts';
export * from './output-prior-matching.ts';
export * from './validate-fusion-inputs.ts';
export { weightedKMeans, DEFAULT_KMEANS_OPTIONS, type KMeansOptions, type KMeansResult, type WeightedPoints } from './kmeans/index.ts';
export { RidgeSystem, solveRidge, ridgeLambda, DEFAULT_RIDGE_OPTIONS, type RidgeOptions, type RidgeForm } from './linalg/index.ts';
export { solveLinearAssignment, type LinearAssignment } from './assignment/index.ts';
export * as kmeans from './kmeans/index.ts';
export * as linalg from './linalg/index.ts';
export * as assignment from './assignment/index.ts';
export * from './sub-network.ts';
export * from './heterofl-average.ts';
