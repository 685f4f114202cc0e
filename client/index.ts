export * from './fedfuse-client.ts';
export * from './local-update.ts';
