import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgram, main } from '../server/cli/main.ts';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'fedfuse', ...argv]);
    return { code, out, err };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

test('fedfuse --help lists every command, and every command has its own --help', async () => {
  const names = createProgram().commands.map((c) => c.name());
  for (const expected of ['server', 'dashboard', 'client', 'token', 'revoke', 'fuse', 'simulate', 'compare']) assert.ok(names.includes(expected), `${expected} is registered`);
  const top = await capture(['--help']);
  assert.equal(top.code, 0);
  for (const name of names) assert.match(top.out, new RegExp(`^\\s+${name} `, 'm'), `top-level help lists ${name}`);
  for (const name of names) {
    const help = await capture([name, '--help']);
    assert.equal(help.code, 0, `${name} --help exits 0`);
    assert.match(help.out, new RegExp(`Usage: fedfuse ${name} `));
    assert.ok(help.out.split('\n').length > 5, `${name} --help explains its options`);
  }
});

test('an unknown command or option is one clear error and a non-zero exit', async () => {
  const unknown = await capture(['frobnicate']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.err, /unknown command 'frobnicate'/);
  const badOption = await capture(['token', '--client', 'a', '--bogus']);
  assert.notEqual(badOption.code, 0);
  assert.match(badOption.err, /unknown option '--bogus'/);
  const badSecret = await capture(['token', '--client', 'a', '--secret', 'short']);
  assert.equal(badSecret.code, 2);
  assert.match(badSecret.err, /^fedfuse: error \(invalid_argument\): the client-token secret is too weak \(5 characters; [^\n]*\): use at least 128 random bits[^\n]*\n$/);
  assert.doesNotMatch(badSecret.err, /short/, 'the secret is not echoed');
});
