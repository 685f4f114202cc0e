export * from './client-token.ts';
