#!/usr/bin/env node
// Launcher for the `fedfuse` command. fedfuse runs its TypeScript sources
// through tsx (no build step), so the launcher registers tsx's loader first.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
