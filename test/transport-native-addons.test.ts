import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

/**
 * `ws` (under socket.io) unmasks every client frame; without its optional
 * native `bufferutil` it does so in JavaScript, about 6 ms per 1 MB upload on
 * this machine (docs/reliability.md, Load). Both addons ship prebuilt
 * binaries for linux-x64, so here they must load as native code, not as their
 * JavaScript fallbacks; elsewhere npm may drop them and ws still works.
 */
const require = createRequire(import.meta.url);

for (const addon of ['bufferutil', 'utf-8-validate']) {
  test(`${addon} loads its native binding on linux-x64`, { skip: `${process.platform}-${process.arch}` !== 'linux-x64' }, () => {
    const loaded: unknown = require(addon);
    const fallback: unknown = require(`${addon}/fallback`);
    assert.notEqual(loaded, fallback, `${addon} fell back to JavaScript`);
  });
}

test('ws finds bufferutil where socket.io resolves it', () => {
  // ws loads bufferutil with a plain require from its own directory; it must resolve from there.
  const engineIo = require.resolve('engine.io');
  const ws = createRequire(engineIo).resolve('ws');
  assert.doesNotThrow(() => createRequire(ws).resolve('bufferutil'));
});
