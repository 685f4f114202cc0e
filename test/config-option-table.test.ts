import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram, main } from '../server/cli/main.ts';
import { flagOf, resolveServerConfig, SERVER_OPTIONS, serverConfigFrom } from '../server/config/index.ts';

const SECRET = 'option-table-secret-0123456789';
const KEYS = Object.keys(SERVER_OPTIONS);

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(['node', 'fedfuse', ...argv]), out, err };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-options-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the server option table', () => {
  test('every flag of fedfuse server has a config key (its camelCase) and every config key a flag', () => {
    const server = createProgram().commands.find((c) => c.name() === 'server')!;
    const flags = server.options.map((o) => o.long!).filter((f) => f !== '--config');
    assert.deepEqual([...flags].sort(), KEYS.map(flagOf).sort(), 'one flag per table entry, none more');
    for (const o of server.options) {
      if (o.long === '--config') continue;
      const camel = o.long!.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      assert.ok(KEYS.includes(camel), `${o.long}'s camelCase ${camel} is a config key`);
    }
    // Every key is accepted by the config file and reaches the config under the same name.
    withTempDir((dir) => {
      const file = join(dir, 'all.json');
      const values = Object.fromEntries(KEYS.map((k) => [k, SERVER_OPTIONS[k as keyof typeof SERVER_OPTIONS].default ?? SECRET]));
      writeFileSync(file, JSON.stringify(values));
      const config = serverConfigFrom({ configFile: file, env: {} });
      assert.deepEqual(Object.keys(config).sort(), [...KEYS].sort());
    });
  });

  test('the README names the config keys as the camelCase of the flags: the old mapping is gone', () => {
    for (const old of ['database', 'fractionFit', 'learningRate']) assert.ok(!KEYS.includes(old), `${old} is not a key`);
    for (const key of ['db', 'fraction', 'lr']) assert.ok(KEYS.includes(key), `${key} is a key`);
  });

  test('every wrong flag value is one line naming the flag, exit code 2, before anything starts', async () => {
    let checked = 0;
    for (const key of KEYS) {
      const spec = SERVER_OPTIONS[key as keyof typeof SERVER_OPTIONS];
      const wrong = 'not-a-value%';
      let rejects = true;
      try {
        spec.parse(wrong);
        rejects = false;
      } catch {
        // expected for numbers, choices, on/off and patterned text
      }
      if (!rejects) continue; // free text (a path, a host): any string is a value
      const r = await capture(['server', '--secret', SECRET, flagOf(key), wrong]);
      assert.equal(r.code, 2, `${flagOf(key)} ${wrong} exits 2`);
      assert.equal(r.err.split('\n').filter((l) => l !== '').length, 1, `one line for ${flagOf(key)}: ${r.err}`);
      const echo = spec.secret === true ? '' : spec.repeatable === true ? ', got \\["not-a-value%"\\]' : ', got "not-a-value%"';
      assert.match(r.err, new RegExp(`^fedfuse: error \\(invalid_argument\\): ${flagOf(key)}: must be [^\\n]*${echo}\\n$`));
      if (spec.secret === true) assert.ok(!r.err.includes(wrong), 'a secret is never echoed');
      checked += 1;
    }
    assert.ok(checked >= 30, `most options checked (${checked})`);
  });

  test('a wrong value in the config file names the file and key; a secret is never echoed', () => {
    withTempDir((dir) => {
      const file = join(dir, 'c.yaml');
      writeFileSync(file, 'fraction: 1.5\n');
      assert.throws(() => serverConfigFrom({ configFile: file, env: { FEDFUSE_SECRET: SECRET } }), { message: `config file ${file}: fraction: must be a number > 0 and <= 1, got 1.5` });
      writeFileSync(file, 'secret: short-secret\n');
      assert.throws(() => serverConfigFrom({ configFile: file, env: {} }), { message: `config file ${file}: secret: must be at least 16 characters` });
      writeFileSync(file, 'rounds: 3\nbogus: 1\n');
      assert.throws(() => serverConfigFrom({ configFile: file, env: { FEDFUSE_SECRET: SECRET } }), (e: Error) => e.message.startsWith(`config file ${file}: unknown option "bogus" (known: port, host, db,`));
      writeFileSync(file, 'rounds: [3\n');
      assert.throws(() => serverConfigFrom({ configFile: file, env: { FEDFUSE_SECRET: SECRET } }), (e: Error) => e.message.startsWith(`config file ${file} is not valid YAML`) && !e.message.includes('\n'));
    });
  });

  test('flags win over the file, the file over the environment, that over the defaults', () => {
    withTempDir((dir) => {
      const file = join(dir, 'c.json');
      writeFileSync(file, JSON.stringify({ rounds: 4, lr: 0.05, fraction: 0.5, secret: 'from-the-file-0123456789' }));
      const env = { FEDFUSE_SECRET: 'from-the-environment-0123', FEDFUSE_ADMIN_TOKEN: 'admin-from-env' };
      const config = serverConfigFrom({ configFile: file, flags: { rounds: '7' }, env });
      assert.equal(config.rounds, 7, 'flag over file');
      assert.equal(config.lr, 0.05, 'file over default');
      assert.equal(config.fraction, 0.5);
      assert.equal(config.secret, 'from-the-file-0123456789', 'file over environment');
      assert.equal(config.adminToken, 'admin-from-env', 'environment over default');
      assert.equal(config.port, 8080, 'default');
      const noEnv = serverConfigFrom({ configFile: file, env: {} });
      assert.equal(noEnv.adminToken, null);
    });
  });

  test('the old config keys database, fractionFit, learningRate still work, with one deprecation line each', () => {
    withTempDir((dir) => {
      const file = join(dir, 'old.yaml');
      writeFileSync(file, 'database: ./old.sqlite\nfractionFit: 0.25\nlearningRate: 0.02\n');
      const warnings: string[] = [];
      const config = serverConfigFrom({ configFile: file, env: { FEDFUSE_SECRET: SECRET }, warn: (l) => warnings.push(l) });
      assert.equal(config.db, './old.sqlite');
      assert.equal(config.fraction, 0.25);
      assert.equal(config.lr, 0.02);
      assert.deepEqual(warnings, [
        `config file ${file}: "database" is deprecated, write "db" (the camelCase of --db)`,
        `config file ${file}: "fractionFit" is deprecated, write "fraction" (the camelCase of --fraction)`,
        `config file ${file}: "learningRate" is deprecated, write "lr" (the camelCase of --lr)`,
      ]);
      writeFileSync(file, 'database: ./a.sqlite\ndb: ./b.sqlite\n');
      assert.throws(() => serverConfigFrom({ configFile: file, env: { FEDFUSE_SECRET: SECRET } }), /"database" and "db" are the same option/);
    });
  });

  test('without a secret anywhere: one line saying where to set it', async () => {
    const saved = process.env['FEDFUSE_SECRET'];
    delete process.env['FEDFUSE_SECRET'];
    try {
      const r = await capture(['server', '--port', '0']);
      assert.equal(r.code, 2);
      assert.match(r.err, /^fedfuse: error \(invalid_argument\): no secret set \(FEDFUSE_SECRET, --secret-file or --secret\)[^\n]*\n$/);
    } finally {
      if (saved !== undefined) process.env['FEDFUSE_SECRET'] = saved;
    }
  });

  test('typed partial configs for code: later layers win, values checked', () => {
    assert.equal(resolveServerConfig({ secret: SECRET, rounds: 2 }, { rounds: 5 }).rounds, 5);
    assert.throws(() => resolveServerConfig({ secret: SECRET, rounds: 0 }), { message: 'option rounds: must be an integer >= 1, got 0' });
  });
});
