export * from './labeled-samples.ts';
export * from './train-network.ts';
export * from './evaluate-network.ts';
export * from './mean-gradient.ts';
