import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { RoundListView } from '../server/http/index.ts';
import { openStore } from '../server/store/index.ts';
import { createViewerServer } from '../server/viewer-app.ts';
import { percent } from '../web/dashboard/format.ts';
import { browserUnavailable, collectPageErrors, ensureWebBuild, launchBrowser, newContext } from './browser-fixtures.ts';
import { READ_HEADERS, READ_TOKEN } from './rounds-fixtures.ts';
import { finishedRunDatabase } from './viewer-fixtures.ts';

/**
 * The dashboard of a server started only to look at an old database
 * (createViewerServer, as `fedfuse dashboard --db FILE` runs it), in a real
 * Chromium: it says no run is live, shows the newest run, and picking the
 * older run in the header shows that run's rounds and chart exactly as the
 * API reports them, with its model links and the screened-out updates in
 * red with their rule.
 */
const skip = browserUnavailable();

test('a database with two finished runs: the page shows them read-only and the picker switches between them', { skip: skip ?? false, timeout: 300_000 }, async () => {
  ensureWebBuild();
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-viewer-page-'));
  let browser: Browser | null = null;
  try {
    const older = await finishedRunDatabase(dir, { rounds: 2, screenedOut: true });
    const newer = await finishedRunDatabase(dir, { rounds: 1 });
    assert.notEqual(older.runId, newer.runId);
    const store = await openStore(older.dbPath, { sqlite: { readonly: true } });
    const viewer = createViewerServer(store, { access: 'on', adminToken: null, readApi: { mode: 'private', readToken: READ_TOKEN } });
    try {
      const url = await viewer.listen(0);
      browser = await launchBrowser();
      const page = await (await newContext(browser)).newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${url}/#token=${READ_TOKEN}`);
      await page.getByLabel('read-only', { exact: true }).waitFor();
      await page.locator('#live-link[data-link="live"]').waitFor();
      assert.equal(await page.locator('#run-select option').count(), 2, 'both runs in the picker');

      // The newest run first: one round.
      await page.locator('#rounds-table tr[data-round="1"][data-state="done"]').waitFor();
      assert.equal(await page.locator('#rounds-table tr[data-round="2"]').count(), 0);
      assert.equal(await page.getByLabel('run state').textContent(), 'finished');
      assert.equal(await page.getByLabel('phase', { exact: true }).textContent(), 'finished');

      await page.getByLabel('run', { exact: true }).selectOption(older.runId);
      await page.locator('#rounds-table tr[data-round="2"][data-state="done"]').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('run'), older.runId, 'the chosen run is in the address');
      const api = (await (await fetch(`${url}/api/rounds?run=${older.runId}`, { headers: READ_HEADERS })).json()) as RoundListView;
      for (const r of api.rounds) {
        assert.equal(await page.getByLabel(`round ${r.round} accuracy`).textContent(), percent(r.evaluations[0]!.accuracy));
        assert.equal(await page.locator(`#rounds-table a[href="/api/rounds/${r.round}/model/model.json?run=${older.runId}"]`).count(), 1, `round ${r.round}'s model link`);
      }
      // client-2's x100 updates were screened out: stored (the API counts 3 updates), listed in red with the rule.
      for (const round of [1, 2]) {
        const screened = page.locator(`#rounds-table tr[data-round="${round}"] li.screened`);
        assert.equal(await screened.count(), 1, `round ${round} lists one screened-out update`);
        assert.match((await screened.textContent()) ?? '', /^client-2: screened out \(far_from_global\): /);
        assert.equal(await page.getByLabel(`round ${round} participants`).textContent(), '3');
      }
      await page.waitForFunction(`document.querySelectorAll('#accuracy-chart .global circle').length === ${api.initialEvaluations.length + 2}`);
      assert.equal(await page.locator('#accuracy-chart .clients circle').count(), 6, "each client's own accuracy beside each round (3 clients x 2 rounds)");
      assert.equal(await page.getByLabel('connected clients').textContent(), '–', 'no live numbers for a stored run');
      assert.match((await page.getByLabel('run configuration', { exact: true }).textContent()) ?? '', /"test": true/);
      assert.deepEqual(errors, [], 'no page errors');
    } finally {
      await browser?.close();
      await viewer.close();
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
