export * from './strategy.ts';
export * from './client-sampling.ts';
export * from './run-settings.ts';
export * from './orchestrator-events.ts';
export * from './round-orchestrator.ts';
export * from './model-blobs.ts';
