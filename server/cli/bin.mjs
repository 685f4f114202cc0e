#!/usr/bin/env node
// Launcher for the `fedfuse` command. In the repository fedfuse runs its
// TypeScript sources through tsx (no build step): the launcher registers tsx's
// loader first. The packed package ships no sources but the compiled
// JavaScript in lib/ (built by `npm pack`'s prepack), which runs as it is.
import { existsSync } from 'node:fs';

let main;
if (existsSync(new URL('./main.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./main.ts'));
} else {
  ({ main } = await import('../../lib/server/cli/main.js'));
}
process.exitCode = await main(process.argv);
