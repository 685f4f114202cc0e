/**
 * A browser client's round against a Node client's on the same machine and
 * data: the embedded digits, one tenth each (part 0 of 10, iid, after the
 * server's calibration/test carve), MLP 784-256-10, 1 local epoch, the
 * server's default attribution (conductance on 500 samples). One arm at a
 * time, each on a fresh server with one client and one round, so the arms
 * never share the CPU. A round's time is the client's own: task received to
 * upload acknowledged (training + attribution + encoding + upload).
 *
 *   npm run bench:browser [-- --repeats 3]
 *
 * Writes results/bench-browser.json. Needs Debian's Chromium (/usr/bin/chromium).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FedfuseClient, type ClientEvent } from '../client/index.ts';
import { initBackend } from '../common/backend/index.ts';
import { carveHoldout, decodeNpy, loadEmbeddedMnist, subset } from '../common/data/index.ts';
import { initNetwork, mlpSpec } from '../common/model/index.ts';
import { createWorkerFusionExecutor } from '../server/aggregation/index.ts';
import { createFedfuseServer } from '../server/app.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { demoPartitionNpy } from '../server/dashboard/index.ts';
import { DEFAULT_RUN_SETTINGS } from '../server/rounds/index.ts';
import { openStore } from '../server/store/index.ts';
import { ensureWebBuild, launchBrowser, newContext } from '../test/browser-fixtures.ts';

const SECRET = 'bench-browser-secret-0123456789';
const SPLIT = { splitSeed: 0, calibrationSize: 400, testSize: 1000 };
const PART = { index: 0, of: 10, partition: 'iid', samples: 0 };

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '3' } } });
const repeats = Number(values.repeats);

async function withServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const data = loadEmbeddedMnist();
  const holdout = carveHoldout(data.labels, { testSize: SPLIT.testSize, calibrationSize: SPLIT.calibrationSize, seed: SPLIT.splitSeed });
  const calibration = subset(data, holdout.calibration);
  const test = subset(data, holdout.test);
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-bench-browser-'));
  const store = await openStore(join(dir, 'bench.sqlite'));
  const executor = createWorkerFusionExecutor({ calibration: calibration.images, test: { images: test.images, labels: test.labels, count: test.count, name: 'mnist-test' } });
  const server = createFedfuseServer(
    { store, executor, initialModel: initNetwork(mlpSpec(784, [256], 10), 0) },
    {
      secret: SECRET,
      adminToken: null,
      run: { ...DEFAULT_RUN_SETTINGS, rounds: 1, minClients: 1, roundTimeoutMs: 600_000 },
      strategy: {
        aggregator: 'kf-linear',
        importance: 'client',
        training: { epochs: 1, batchSize: 32, learningRate: 0.001, optimizer: 'adam', proximalMu: 0, attributionMethod: 'conductance', attributionSamples: 500 },
        sampling: { fractionFit: 1, minFitClients: 1 },
        seed: 0,
      },
      runConfig: { bench: 'browser' },
      pingIntervalMs: 25_000,
      pingTimeoutMs: 120_000,
      dashboard: { access: 'on', demo: SPLIT },
    },
  );
  const url = await server.listen(0);
  try {
    return await fn(url);
  } finally {
    await server.close();
    await executor.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function nodeRound(): Promise<number> {
  await initBackend('wasm');
  const part = demoPartitionNpy(SPLIT, PART);
  const images = decodeNpy(part.images, 'images').data as Float32Array;
  const labels = Int32Array.from(decodeNpy(part.labels, 'labels').data as Uint8Array);
  return withServer(async (url) => {
    let taskAt = 0;
    let seconds = NaN;
    const done = new Promise<void>((resolve) => {
      const client = new FedfuseClient(url, mintClientToken(SECRET, 'node'), {
        clientId: 'node',
        data: { images, labels, count: part.count },
        onEvent: (e: ClientEvent) => {
          if (e.type === 'task') taskAt = performance.now();
          if (e.type === 'uploaded') seconds = (performance.now() - taskAt) / 1000;
          if (e.type === 'globalModel' && e.final) {
            client.close();
            resolve();
          }
        },
      });
      void client.connect();
    });
    await done;
    return seconds;
  });
}

async function browserRound(backend: 'wasm' | 'webgl'): Promise<{ seconds: number; backend: string }> {
  return withServer(async (url) => {
    const browser = await launchBrowser();
    try {
      const page = await (await newContext(browser)).newPage();
      page.setDefaultTimeout(300_000);
      await page.goto(`${url}/join`);
      await page.getByLabel('client token').fill(mintClientToken(SECRET, 'browser'));
      await page.getByLabel('demo part', { exact: true }).fill(String(PART.index));
      await page.getByLabel('demo parts', { exact: true }).fill(String(PART.of));
      await page.getByLabel('backend', { exact: true }).selectOption(backend);
      await page.getByRole('button', { name: 'Join' }).click();
      await page.getByLabel('join status').filter({ hasText: /run is over|error|refused|not available|could not/i }).waitFor();
      const used = (await page.getByLabel('backend in use').textContent()) ?? '';
      const seconds = Number(await page.getByLabel('round time').getAttribute('data-value'));
      if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`${backend}: ${await page.getByLabel('join status').textContent()}`);
      return { seconds, backend: used };
    } finally {
      await browser.close();
    }
  });
}

function stats(xs: number[]): { mean: number; std: number; min: number; max: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

ensureWebBuild();
const load = loadavg()[0]!;
const rows: Record<string, { seconds: number[]; note?: string }> = { 'node (wasm)': { seconds: [] }, 'browser (wasm)': { seconds: [] }, 'browser (webgl)': { seconds: [] } };
for (let r = 0; r < repeats; r++) {
  rows['node (wasm)']!.seconds.push(await nodeRound());
  rows['browser (wasm)']!.seconds.push((await browserRound('wasm')).seconds);
  try {
    const webgl = await browserRound('webgl');
    rows['browser (webgl)']!.seconds.push(webgl.seconds);
  } catch (e) {
    rows['browser (webgl)']!.note = e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
}
const node = stats(rows['node (wasm)']!.seconds);
process.stdout.write(`client round, part 0 of 10 of the embedded digits, MLP 784-256-10, 1 epoch, conductance on 500 samples (${repeats} repeats, load ${load.toFixed(2)} at start)\n`);
process.stdout.write('arm               mean s   std s    min s    max s   x node\n');
for (const [arm, row] of Object.entries(rows)) {
  if (row.seconds.length === 0) {
    process.stdout.write(`${arm.padEnd(16)}  not measured: ${row.note ?? ''}\n`);
    continue;
  }
  const s = stats(row.seconds);
  process.stdout.write(`${arm.padEnd(16)} ${s.mean.toFixed(2).padStart(6)}  ${s.std.toFixed(2).padStart(6)}  ${s.min.toFixed(2).padStart(6)}  ${s.max.toFixed(2).padStart(6)}  ${(s.mean / node.mean).toFixed(2).padStart(6)}\n`);
}
mkdirSync('results', { recursive: true });
writeFileSync('results/bench-browser.json', JSON.stringify({ date: new Date().toISOString(), loadAtStart: load, repeats, rows }, null, 2));
process.stdout.write('wrote results/bench-browser.json\n');
