export * from './record-dict.ts';
export * from './scaffold-records.ts';
