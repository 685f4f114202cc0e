export * from './client-token.ts';
export * from './secret-strength.ts';
export * from './token-revocations.ts';
export * from './admin-guess-limiter.ts';
export * from './read-access.ts';
