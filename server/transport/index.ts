export * from './socket-transport.ts';
export * from './connection-rate-limiter.ts';
export * from './observer-namespace.ts';
export * from './connection-limits.ts';
export * from './connection-gate.ts';
export * from './connection-caps.ts';
export * from './http-server-guard.ts';
export * from './session-frame-cap.ts';
export type { Refusal } from './refusal.ts';
