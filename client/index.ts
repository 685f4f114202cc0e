export * from './fedfuse-client.ts';
export * from './local-update.ts';
export * from './token-client-id.ts';
export * from './client-connection.ts';
export * from './socket-io-connection.ts';
