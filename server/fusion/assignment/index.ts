export * from './linear-assignment.ts';
