import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';

/**
 * Where the pages' files are: dist/web/ (built by web/build.mjs at `npm
 * install` / `npm run build`; not in git) and the TF.js wasm backend's .wasm
 * files, served from its own package in node_modules so that no browser
 * fetches them from a CDN.
 */
export interface WebAssets {
  readonly pagesDir: string;
  readonly wasmDir: string;
}

export function defaultWebAssets(): WebAssets {
  const root = PACKAGE_ROOT;
  const wasmPackage = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return { pagesDir: path.join(root, 'dist', 'web'), wasmDir: path.join(path.dirname(wasmPackage), 'dist') };
}

/** The one-line reason the pages cannot be served, or null when they are built. */
export function missingBuild(assets: WebAssets): string | null {
  for (const file of ['dashboard.html', 'dashboard.js', 'join.html', 'join.js', 'style.css']) {
    if (!existsSync(path.join(assets.pagesDir, file))) return `the web pages are not built (${file} is missing from ${assets.pagesDir}): run npm run build`;
  }
  return null;
}
