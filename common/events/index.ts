export * from './socket-events.ts';
export * from './handshake-refusal.ts';
