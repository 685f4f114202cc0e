export * from './cholesky.ts';
export * from './gram.ts';
export * from './ridge-system.ts';
