// Entry of a lab training thread: registers tsx, then loads the worker code.
import { register } from 'tsx/esm/api';

register();
await import('./lab-train-worker.ts');
