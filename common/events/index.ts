export * from './socket-events.ts';
