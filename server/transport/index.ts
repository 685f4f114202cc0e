export * from './socket-transport.ts';
export * from './connection-rate-limiter.ts';
export * from './observer-namespace.ts';
export type { Refusal } from './refusal.ts';
