// Entry of the fusion worker thread: registers tsx (fedfuse runs its
// TypeScript sources without a build step) before loading the worker code.
import { register } from 'tsx/esm/api';

register();
await import('./fusion-worker.ts');
