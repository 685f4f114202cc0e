// Entry of a bench-load client thread: registers tsx (fedfuse runs its
// TypeScript sources without a build step) before loading the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./client-thread.ts');
