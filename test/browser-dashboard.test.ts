import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { RoundListView } from '../server/http/index.ts';
import { DASHBOARD_CSP } from '../server/dashboard/index.ts';
import { decimal, percent } from '../web/dashboard/format.ts';
import { browserUnavailable, collectPageErrors, ensureWebBuild, launchBrowser, newContext } from './browser-fixtures.ts';
import { READ_HEADERS, READ_TOKEN, startClient, startTestServer } from './rounds-fixtures.ts';

/**
 * The dashboard in a real Chromium while a 3-round run proceeds: it shows
 * the live round and phase, each finished round's participants, accuracy
 * and loss exactly as GET /api/rounds reports them, and its chart gains one
 * point per round without a reload. How long a closed round takes to appear
 * is measured and reported (not asserted: it depends on the machine's load).
 */
const skip = browserUnavailable();

// The page's globals, for the functions that run inside Chromium (page.evaluate); this project's
// tsconfig has no DOM library, and these declarations stay local to this module.
declare const document: { documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number; samples?: Sample[]; loadedOnce?: boolean };

/**
 * Records everything the page shows over time, in the page itself (polling from the test could miss a
 * state). A string, because the test runner's transpiler adds helpers to functions that do not exist in the page.
 */
const RECORD_SAMPLES = `(() => {
  window.samples = [];
  window.loadedOnce = true;
  const record = () => {
    const sample = {
      round: document.getElementById('round')?.textContent ?? '',
      phase: document.getElementById('phase')?.textContent ?? '',
      points: document.querySelectorAll('#accuracy-chart .global circle').length,
    };
    const last = window.samples.at(-1);
    if (last === undefined || last.round !== sample.round || last.phase !== sample.phase || last.points !== sample.points) window.samples.push(sample);
  };
  record();
  new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

interface Sample {
  readonly round: string;
  readonly phase: string;
  readonly points: number;
}

test('the dashboard follows a 3-round run live and agrees with /api/rounds', { skip: skip ?? false, timeout: 420_000 }, async (ctx) => {
  ensureWebBuild();
  const t = await startTestServer({ rounds: 3, minClients: 3, roundTimeoutMs: 240_000 }, { dashboard: { access: 'on', demo: null } });
  const closedAt = new Map<number, number>();
  let browser: Browser | null = null;
  const clients: Array<Awaited<ReturnType<typeof startClient>>> = [];
  try {
    browser = await launchBrowser();
    const page = await (await newContext(browser)).newPage();
    const errors = collectPageErrors(page);
    let pageBytes = 0;
    page.on('response', (r) => {
      void r.body().then((b) => (pageBytes += b.length)).catch(() => {});
    });
    const response = await page.goto(`${t.url}/#token=${READ_TOKEN}`);
    assert.equal(response?.headers()['content-security-policy'], DASHBOARD_CSP);
    await page.getByLabel('live connection').filter({ hasText: 'live' }).waitFor();
    await page.getByLabel('phase').filter({ hasText: 'waiting for clients' }).waitFor();
    // Everything the page shows over time, recorded in the page itself (no polling from here can miss a state).
    await page.evaluate(RECORD_SAMPLES);

    const done = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        for (const e of t.events) if (e.type === 'roundCompleted' && !closedAt.has(e.round)) closedAt.set(e.round, Date.now());
        if (t.events.some((e) => e.type === 'runFinished')) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    for (let i = 0; i < 3; i++) clients.push(await startClient(t.url, i));
    await done;

    const runId = t.server.orchestrator.liveStatus().runId!;
    const api = (await (await fetch(`${t.url}/api/rounds?run=${runId}`, { headers: READ_HEADERS })).json()) as RoundListView;
    assert.equal(api.rounds.length, 3);
    for (const r of api.rounds) {
      const row = page.locator(`#rounds-table tr[data-round="${r.round}"][data-state="done"]`);
      await row.waitFor();
      const accuracy = r.evaluations[0]!.accuracy;
      assert.equal(await page.getByLabel(`round ${r.round} participants`).textContent(), String(r.participants));
      assert.equal(r.participants, 3);
      assert.equal(await page.getByLabel(`round ${r.round} accuracy`).textContent(), percent(accuracy));
      assert.equal(await page.getByLabel(`round ${r.round} accuracy`).getAttribute('data-value'), String(accuracy), 'the exact number, not just its rounding');
      assert.equal(await page.getByLabel(`round ${r.round} loss`).textContent(), decimal(r.evaluations[0]!.loss));
      const shownAt = Number(await row.getAttribute('data-first-shown-at'));
      ctx.diagnostic(`round ${r.round}: shown ${shownAt - closedAt.get(r.round)!} ms after the server closed it`);
    }
    await page.getByLabel('phase').filter({ hasText: 'finished' }).waitFor();
    // The initial model has a point when the run evaluated it.
    const initial = api.initialEvaluations.length > 0 ? 1 : 0;
    await page.waitForFunction(`document.querySelectorAll('#accuracy-chart .global circle').length === ${initial + 3}`);

    const samples = await page.evaluate(() => window.samples ?? []);
    const pointCounts = [...new Set(samples.map((s) => s.points))];
    assert.deepEqual(pointCounts, [0, 1, 2, 3].map((n) => n + initial), `the chart gained one point per round: ${JSON.stringify(pointCounts)}`);
    for (const round of ['1', '2', '3']) {
      assert.ok(samples.some((s) => s.round === round && s.phase === 'training'), `round ${round} was shown while training: ${JSON.stringify(samples)}`);
    }
    assert.ok(await page.evaluate(() => window.loadedOnce === true), 'the page never reloaded');
    const clientRows = page.locator('#clients-table tbody tr[data-state="uploaded"]');
    assert.equal(await clientRows.count(), 3, 'each client shows its upload');
    assert.match((await page.getByLabel('client-0 last update', { exact: true }).textContent()) ?? '', /^round 3, [\d.]+ KiB$/);
    assert.equal(await page.locator('#rounds-table a[href*="/api/rounds/3/model/model.json"]').count(), 1, 'a download link for the round 3 model');
    ctx.diagnostic(`page weight of / (all responses, socket excluded): ${(pageBytes / 1024).toFixed(1)} KiB`);
    assert.ok(pageBytes < 1024 * 1024, `the dashboard weighs under 1 MB (${pageBytes} bytes)`);
    assert.deepEqual(errors, [], 'no page errors (a CSP violation would be one)');
  } finally {
    for (const c of clients) c.client.close();
    await browser?.close();
    await t.close();
  }
});

test('at phone width the dashboard fits the screen and labels its numbers', { skip: skip ?? false, timeout: 240_000 }, async () => {
  ensureWebBuild();
  const t = await startTestServer({ rounds: 1, minClients: 1 }, { dashboard: { access: 'on', demo: null } });
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser();
    const page = await (await newContext(browser, { width: 390, height: 844 })).newPage();
    await page.goto(`${t.url}/#token=${READ_TOKEN}`);
    const c = await startClient(t.url, 0);
    try {
      await t.waitFor((e) => e.type === 'runFinished', 180_000);
      await page.locator('#rounds-table tr[data-round="1"][data-state="done"]').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling of the page at 390 px (${overflow} px too wide); wide tables scroll inside their card`);
      for (const label of ['round', 'phase', 'connected clients', 'sampled clients', 'updates received', 'latest accuracy', 'deadline countdown']) {
        assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `one element labelled "${label}"`);
      }
      assert.equal(await page.getByRole('img').count(), 2, 'both charts are images with a description');
    } finally {
      c.client.close();
    }
  } finally {
    await browser?.close();
    await t.close();
  }
});
