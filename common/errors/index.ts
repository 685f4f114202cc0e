export * from './fedfuse-error.ts';
