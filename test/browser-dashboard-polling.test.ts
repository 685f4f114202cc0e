import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { RoundListView } from '../server/http/index.ts';
import { OBSERVER_NAMESPACE } from '../common/events/observer-events.ts';
import { percent } from '../web/dashboard/format.ts';
import { browserUnavailable, collectPageErrors, ensureWebBuild, launchBrowser, newContext } from './browser-fixtures.ts';
import { READ_HEADERS, READ_TOKEN, startClient, startTestServer } from './rounds-fixtures.ts';

/**
 * The dashboard in a real Chromium whose WebSockets are cut as soon as they
 * open (as by a proxy that does not pass them): the page falls back to
 * polling GET /api/observer and still follows a 2-round run to its end,
 * the run's state included (which the socket would have announced with a
 * notice), without a reload.
 */
const skip = browserUnavailable();

test('with its WebSocket blocked the dashboard polls the API and still follows the run to the end', { skip: skip ?? false, timeout: 240_000 }, async (ctx) => {
  const started = Date.now();
  const mark = (what: string): void => ctx.diagnostic(`${what}: ${Date.now() - started} ms`);
  ensureWebBuild();
  mark('built');
  const t = await startTestServer({ rounds: 2, minClients: 2, roundTimeoutMs: 240_000 }, { dashboard: { access: 'on', demo: null } });
  let browser: Browser | null = null;
  const clients: Array<Awaited<ReturnType<typeof startClient>>> = [];
  try {
    browser = await launchBrowser();
    const context = await newContext(browser);
    let websocketsCut = 0;
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      websocketsCut++;
      void ws.close({ code: 1011, reason: 'blocked by the test' });
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    let polls = 0;
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/observer') polls++;
    });
    await page.goto(`${t.url}/#token=${READ_TOKEN}`);
    mark('page loaded');
    await page.locator('#live-link[data-link="polling"]').waitFor();
    assert.equal(await page.getByLabel('live connection').textContent(), 'polling the API');
    await page.getByLabel('phase').filter({ hasText: 'waiting for clients' }).waitFor();
    assert.equal(await page.getByLabel('run state').textContent(), 'running');

    mark('polling');
    for (let i = 0; i < 2; i++) clients.push(await startClient(t.url, i));
    await t.waitFor((e) => e.type === 'runFinished', 90_000);
    mark('run finished');
    const runId = t.server.orchestrator.liveStatus().runId!;
    const api = (await (await fetch(`${t.url}/api/rounds?run=${runId}`, { headers: READ_HEADERS })).json()) as RoundListView;
    for (const r of api.rounds) {
      await page.locator(`#rounds-table tr[data-round="${r.round}"][data-state="done"]`).waitFor();
      assert.equal(await page.getByLabel(`round ${r.round} accuracy`).textContent(), percent(r.evaluations[0]!.accuracy));
    }
    await page.getByLabel('phase').filter({ hasText: 'finished' }).waitFor();
    // Without the socket's run notice the page must learn the run's end from the polled status.
    await page.getByLabel('run state').filter({ hasText: 'finished' }).waitFor();
    mark('page shows the end');
    assert.equal(await page.locator('#accuracy-chart .global circle').count(), api.initialEvaluations.length + 2, 'one chart point per round');
    assert.equal(await page.locator('#clients-table tbody tr[data-state="uploaded"]').count(), 2, 'both clients show their upload');

    assert.ok(websocketsCut >= 1, 'the page tried the WebSocket first');
    assert.equal(t.server.io.of(OBSERVER_NAMESPACE).sockets.size, 0, 'no observer socket ever got through');
    assert.ok(polls >= 2, `the page polled /api/observer (${polls} times)`);
    assert.equal(await page.getByLabel('live connection').textContent(), 'polling the API', 'still polling: the socket never came up');
    assert.deepEqual(errors, [], 'no page errors');
  } finally {
    for (const c of clients) c.client.close();
    await browser?.close();
    await t.close();
  }
});
