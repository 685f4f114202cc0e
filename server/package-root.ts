import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of fedfuse's package.json: the repository when run from the
 * TypeScript sources, the installed package when run from its compiled lib/
 * (one folder deeper). Found by walking up from this file, so both layouts work.
 */
export const PACKAGE_ROOT: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'fedfuse') return dir;
    if (path.dirname(dir) === dir) throw new Error(`fedfuse's package.json not found above ${from}`);
  }
}

/** Whether this code runs compiled (lib/, the packed package) rather than as TypeScript through tsx. */
export const RUNS_COMPILED: boolean = import.meta.url.endsWith('.js');
