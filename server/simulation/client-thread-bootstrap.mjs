// Entry of a client-hosting worker thread: registers tsx (fedfuse runs its
// TypeScript sources without a build step) before loading the worker code.
import { register } from 'tsx/esm/api';

register();
await import('./client-thread-worker.ts');
