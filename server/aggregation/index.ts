export * from './aggregation-jobs.ts';
export * from './fusion-executor.ts';
export * from './in-process-fusion-executor.ts';
export * from './worker-fusion-executor.ts';
export * from './fusion-strategy.ts';
