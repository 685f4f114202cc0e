// Builds the browser pages into dist/web/ with esbuild: the dashboard (`/`)
// and the browser client (`/join`), each one bundled script, plus their HTML
// and CSS. Run by `npm run build`, and by npm itself after `npm install` /
// `npm ci` (the `prepare` script), so a clean clone serves the pages without
// a committed bundle. Nothing is fetched: every import resolves in node_modules.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');
const started = performance.now();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: {
    dashboard: path.join(root, 'web/dashboard/main.ts'),
    join: path.join(root, 'web/join/main.ts'),
  },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  // The SDK is shared with Node; these Node-only branches are never taken in a browser.
  define: { 'process.env.NODE_ENV': '"production"' },
});

for (const file of ['web/dashboard/dashboard.html', 'web/join/join.html', 'web/shared/style.css']) {
  copyFileSync(path.join(root, file), path.join(out, path.basename(file)));
}

const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .map(([file, o]) => `${path.basename(file)} ${(o.bytes / 1024).toFixed(0)} KiB`);
const css = statSync(path.join(out, 'style.css')).size;
process.stdout.write(`fedfuse web build: ${sizes.join(', ')}, style.css ${(css / 1024).toFixed(1)} KiB in ${((performance.now() - started) / 1000).toFixed(1)} s -> dist/web/\n`);
