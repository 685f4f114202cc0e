export * from './select-backend.ts';
