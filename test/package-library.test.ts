import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * fedfuse as an npm library: `npm pack` (its prepack compiles lib/ with tsc),
 * the tarball installed with `npm install --offline` into a new project, and a
 * plain `node` script there (no tsx) that imports fedfuse/fusion, fedfuse/server
 * and fedfuse/client, fuses two models, and runs a real server and a real
 * FedfuseClient over a socket for one round; then the packed `fedfuse` bin.
 * The pack runs in a copy of the repository, so its lib/ and dist/web never
 * touch the working tree other tests read; nothing is downloaded (--offline:
 * every dependency comes from npm's cache, which `npm ci` filled). Slow by
 * nature: 17.5 min on the loaded 2-core machine (pack 5.4 min of tsc, the
 * offline install 4.5 min), hence the long timeout.
 */

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('..', import.meta.url));
/** Not copied into the packing copy: installed or built things, and git. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'lib', 'results', '.fedfuse']);

const CONSUMER = `
import { fuse, initNetwork, mlpSpec, initBackend, parameterCount } from 'fedfuse/fusion';
import { createFedfuseServer, createInProcessFusionExecutor, openStore, mintClientToken, DEFAULT_RUN_SETTINGS } from 'fedfuse/server';
import { FedfuseClient, clientIdFromToken } from 'fedfuse/client';

const backend = await initBackend('cpu', () => {});
const spec = mlpSpec(4, [6], 2);
const rows = (n, seed) => Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 0.7 + seed));
const fused = await fuse([initNetwork(spec, 1), initNetwork(spec, 2)], rows(40, 0), { method: 'kf-linear' });

const labels = (n) => Int32Array.from({ length: n }, (_, i) => i % 2);
const data = (n, seed) => ({ images: rows(n, seed), labels: labels(n), count: n });
const store = await openStore(process.argv[2]);
const executor = createInProcessFusionExecutor({ calibration: rows(40, 1), test: { ...data(40, 2), name: 'test' } });
const secret = 'package-test-secret-0123';
const server = createFedfuseServer(
  { store, executor, initialModel: initNetwork(spec, 0) },
  {
    secret,
    adminToken: null,
    run: { ...DEFAULT_RUN_SETTINGS, rounds: 1, minClients: 1, roundTimeoutMs: 120000 },
    strategy: {
      aggregator: 'kf-linear',
      importance: 'client',
      training: { epochs: 1, batchSize: 8, learningRate: 0.01, optimizer: 'adam', proximalMu: 0, attributionMethod: 'grad-x-act', attributionSamples: 20 },
      sampling: { fractionFit: 1, minFitClients: 1 },
      seed: 0,
    },
    runConfig: {},
    pingIntervalMs: 5000,
    pingTimeoutMs: 20000,
  },
);
const url = await server.listen(0);
const token = mintClientToken(secret, 'packaged');
const client = new FedfuseClient(url, token, { clientId: clientIdFromToken(token), data: data(64, 3) });
await client.connect(60000);
await client.whenRunFinished();
const latest = client.latestGlobalModel();
client.close();
await server.close();
await executor.close();
const runs = await store.listRuns();
await store.close();
console.log(JSON.stringify({ backend, fusedParameters: parameterCount(fused.network), fusedMethod: fused.report.method, finalRound: latest?.round, final: latest?.final, runState: runs[0]?.state }));
`;

test('npm pack gives a library: installed offline, imported with plain node, fuses and runs a round; the bin works', { timeout: 2_400_000 }, async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'fedfuse-package-'));
  try {
    // A copy of the repository to pack from, with the installed node_modules linked in.
    const source = path.join(work, 'source');
    mkdirSync(source);
    for (const entry of readdirSync(REPO)) {
      if (!NOT_COPIED.has(entry)) cpSync(path.join(REPO, entry), path.join(source, entry), { recursive: true });
    }
    symlinkSync(path.join(REPO, 'node_modules'), path.join(source, 'node_modules'));
    const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: source, maxBuffer: 64 * 1024 * 1024 });
    const [info] = JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    for (const expected of ['lib/api/fusion.js', 'lib/api/fusion.d.ts', 'lib/api/client.js', 'lib/api/server.d.ts', 'lib/common/wire/generated/fedfuse.js', 'server/cli/bin.mjs', 'package.json']) {
      assert.ok(files.includes(expected), `the package has ${expected}`);
    }
    assert.ok(!files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), 'no TypeScript sources in the package');
    assert.ok(!files.some((f) => f.startsWith('test/')), 'no tests in the package');
    assert.deepEqual(readdirSync(source).filter((e) => e === 'lib'), [], 'postpack removed lib/');

    // A new project depending on the tarball, installed from npm's cache only. npm's cache holds the dependencies'
    // tarballs (by integrity) but not their registry metadata, so the project gets a lockfile: the repository's
    // own resolution of fedfuse's runtime dependencies, under the tarball.
    const project = path.join(work, 'project');
    mkdirSync(project);
    cpSync(path.join(work, info!.filename), path.join(project, info!.filename));
    const dependency = { fedfuse: `file:${info!.filename}` };
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-fedfuse', private: true, type: 'module', dependencies: dependency }));
    writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(projectLockfile(info!.filename)));
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, maxBuffer: 64 * 1024 * 1024 });
    // Install scripts were skipped (no compiler run at test time): the one native addon the server needs comes
    // from the repository's own build of the same version.
    cpSync(path.join(REPO, 'node_modules/better-sqlite3/build'), path.join(project, 'node_modules/better-sqlite3/build'), { recursive: true });

    writeFileSync(path.join(project, 'consumer.mjs'), CONSUMER);
    const { stdout } = await run(process.execPath, ['consumer.mjs', path.join(project, 'f.sqlite')], { cwd: project, timeout: 900_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    assert.deepEqual(result, { backend: 'cpu', fusedParameters: 4 * 6 + 6 + 6 * 2 + 2, fusedMethod: 'kf-linear', finalRound: 1, final: true, runState: 'finished' });

    const bin = path.join(project, 'node_modules/.bin/fedfuse');
    const version = await run(bin, ['--version'], { cwd: project });
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
    const token = await run(bin, ['token', '--client', 'a', '--secret', 'package-test-secret-0123'], { cwd: project });
    assert.match(token.stdout, /^ff2\.[\w-]+\.[\w-]+\n$/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

interface LockEntry {
  readonly version?: string;
  readonly dev?: boolean;
  readonly [key: string]: unknown;
}

/** A lockfile for a project whose one dependency is the fedfuse tarball: the repository's non-dev entries beneath it. */
function projectLockfile(tarball: string): unknown {
  const repoLock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const { packages } = repoLock;
  const root = packages['']!;
  const entries = Object.entries(packages).filter(([key, entry]) => key.startsWith('node_modules/') && entry.dev !== true);
  return {
    name: 'uses-fedfuse',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'uses-fedfuse', dependencies: { fedfuse: `file:${tarball}` } },
      'node_modules/fedfuse': {
        version: root.version,
        resolved: `file:${tarball}`,
        license: root['license'],
        dependencies: root['dependencies'],
        optionalDependencies: root['optionalDependencies'],
        bin: root['bin'],
        engines: root['engines'],
      },
      ...Object.fromEntries(entries),
    },
  };
}
