import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { encodeNpy, loadEmbeddedMnist } from '../common/data/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { decodeModelBlob } from '../server/rounds/index.ts';
import { browserUnavailable, collectPageErrors, ensureWebBuild, launchBrowser, newContext } from './browser-fixtures.ts';
import { encodeGrayscalePng } from './png-writer.ts';
import { SECRET, startTestServer } from './rounds-fixtures.ts';

/**
 * The browser client's own-data sources in a real Chromium: one tab picks an
 * images.npy + labels.npy pair, another a folder of PNG images with a
 * `file,label` CSV, holding the same 40 digits (8-bit, so both encodings are
 * exact). Both tabs train on the plain-JS backend from the same task and
 * seed, so if the PNG folder decodes to the same data set as the .npy pair
 * (pixels, scaling, labels, order) the two uploaded models are the same.
 * A CSV that misses an image is refused in the page, naming the file.
 */
const skip = browserUnavailable();
const SAMPLES = 40;
const SIDE = 28;

function writeDigits(dir: string): void {
  const ds = loadEmbeddedMnist();
  const features = SIDE * SIDE;
  const pixels = new Uint8Array(SAMPLES * features);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(ds.images[i]! * 255);
  const labels = Uint8Array.from(ds.labels.subarray(0, SAMPLES));
  writeFileSync(join(dir, 'images.npy'), encodeNpy(pixels, [SAMPLES, features]));
  writeFileSync(join(dir, 'labels.npy'), encodeNpy(labels, [SAMPLES]));
  mkdirSync(join(dir, 'digits'));
  // Written in reverse so that the page, not the file system, decides the order (by path).
  const lines = ['file,label'];
  for (let i = SAMPLES - 1; i >= 0; i--) {
    const name = `${String(i).padStart(4, '0')}.png`;
    writeFileSync(join(dir, 'digits', name), encodeGrayscalePng(pixels.subarray(i * features, (i + 1) * features), SIDE, SIDE));
    lines.push(`${name},${labels[i]}`);
  }
  writeFileSync(join(dir, 'labels.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'short.csv'), `${lines.slice(0, -1).join('\n')}\n`);
}

async function openJoin(page: Page, url: string, clientId: string): Promise<void> {
  await page.goto(`${url}/join`);
  await page.getByLabel('client token').fill(mintClientToken(SECRET, clientId));
  await page.getByLabel('backend', { exact: true }).selectOption('cpu');
}

test('an .npy pair and a PNG folder with a labels CSV give the same data set: two tabs upload the same model', { skip: skip ?? false, timeout: 300_000 }, async (ctx) => {
  ensureWebBuild();
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-join-files-'));
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 240_000 }, { dashboard: { access: 'on', demo: null } });
  let browser: Browser | null = null;
  try {
    writeDigits(dir);
    browser = await launchBrowser();
    const context = await newContext(browser);
    const [npyTab, pngTab] = [await context.newPage(), await context.newPage()];
    const errors = [npyTab, pngTab].flatMap((p) => collectPageErrors(p));

    await openJoin(pngTab, t.url, 'browser-png');
    await pngTab.getByLabel('a folder of PNG images + labels CSV').check();
    await pngTab.getByLabel('PNG folder', { exact: true }).setInputFiles(join(dir, 'digits'));
    await pngTab.getByLabel('labels CSV', { exact: true }).setInputFiles(join(dir, 'short.csv'));
    await pngTab.getByRole('button', { name: 'Join' }).click();
    const pngStatus = pngTab.getByLabel('join status');
    await pngStatus.filter({ hasText: 'has no label in short.csv' }).waitFor();
    assert.match((await pngStatus.textContent()) ?? '', /^0000\.png has no label in short\.csv$/);
    assert.equal(await pngStatus.getAttribute('data-kind'), 'error');
    await pngTab.getByLabel('labels CSV', { exact: true }).setInputFiles(join(dir, 'labels.csv'));
    await pngTab.getByRole('button', { name: 'Join' }).click();

    await openJoin(npyTab, t.url, 'browser-npy');
    await npyTab.getByLabel('images.npy + labels.npy').check();
    await npyTab.getByLabel('images.npy', { exact: true }).setInputFiles(join(dir, 'images.npy'));
    await npyTab.getByLabel('labels.npy', { exact: true }).setInputFiles(join(dir, 'labels.npy'));
    await npyTab.getByRole('button', { name: 'Join' }).click();

    await t.waitFor((e) => e.type === 'runFinished', 240_000);
    for (const tab of [npyTab, pngTab]) {
      await tab.getByLabel('join status').filter({ hasText: 'The run is over' }).waitFor();
      assert.equal(await tab.getByLabel('local samples').textContent(), String(SAMPLES));
      assert.equal(await tab.getByLabel('uploads acknowledged').textContent(), '1');
    }
    const runId = t.server.orchestrator.liveStatus().runId!;
    const [npy, png] = await Promise.all(['browser-npy', 'browser-png'].map((id) => t.store.getUpdate(runId, 1, id)));
    assert.ok(npy !== undefined && png !== undefined, 'both tabs uploaded');
    assert.equal(npy.numExamples, SAMPLES);
    assert.equal(png.numExamples, SAMPLES);
    const [a, b] = [decodeModelBlob(npy.model), decodeModelBlob(png.model)];
    let largest = 0;
    for (const [i, layer] of a.layers.entries()) {
      const other = b.layers[i]!;
      for (let k = 0; k < layer.kernel.length; k++) largest = Math.max(largest, Math.abs(layer.kernel[k]! - other.kernel[k]!));
      for (let k = 0; k < (layer.bias?.length ?? 0); k++) largest = Math.max(largest, Math.abs(layer.bias![k]! - other.bias![k]!));
    }
    ctx.diagnostic(`largest weight difference between the .npy tab and the PNG tab: ${largest}`);
    assert.ok(largest < 1e-6, `the PNG folder and the .npy pair trained the same model (largest difference ${largest})`);
    // The models did train: they are not the task's model.
    const start = decodeModelBlob((await t.store.getGlobalModel(runId, 0))!.model);
    assert.ok(a.layers[0]!.kernel.some((v, k) => v !== start.layers[0]!.kernel[k]), 'the tab trained');
    assert.deepEqual(errors, [], 'no page errors');
  } finally {
    await browser?.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
