// npm pack's prepack: compiles the library (server/, client/, common/, api/) to ESM JavaScript and .d.ts in lib/
// (tsconfig.build.json), and copies the generated protobuf code, which is JavaScript already. `--clean` (postpack)
// removes lib/ again: compiled output is never committed and never shadows the sources.
import { cpSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lib = new URL('../lib/', import.meta.url);
rmSync(lib, { recursive: true, force: true });
if (!process.argv.includes('--clean')) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  for (const file of ['fedfuse.js', 'fedfuse.d.ts']) {
    cpSync(new URL(`../common/wire/generated/${file}`, import.meta.url), new URL(`common/wire/generated/${file}`, lib));
  }
}
