export * from './tls-files.ts';
export * from './web-server.ts';
