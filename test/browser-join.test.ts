import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { mintClientToken } from '../server/auth/index.ts';
import { JOIN_CSP } from '../server/dashboard/index.ts';
import { browserUnavailable, collectPageErrors, ensureWebBuild, launchBrowser, newContext } from './browser-fixtures.ts';
import { SECRET, startClient, startTestServer } from './rounds-fixtures.ts';

/**
 * The browser client (/join) in a real Chromium: two tabs and one Node
 * client complete two rounds together, every upload going through the same
 * SDK, socket.io and protobuf envelopes as `fedfuse client`; a tab given a
 * wrong token sees the server's refusal. Tiny on purpose: an MLP 784-16-10,
 * 60 demo samples per tab, one epoch.
 */
const skip = browserUnavailable();
const DEMO = { splitSeed: 1, calibrationSize: 100, testSize: 300 };

async function joinAs(page: Page, url: string, token: string, part: { index: number; backend: string }): Promise<void> {
  await page.goto(`${url}/join`);
  await page.getByLabel('client token').fill(token);
  await page.getByLabel('demo part', { exact: true }).fill(String(part.index));
  await page.getByLabel('demo parts', { exact: true }).fill('3');
  await page.getByLabel('demo samples').fill('60');
  await page.getByLabel('backend', { exact: true }).selectOption(part.backend);
  await page.getByRole('button', { name: 'Join' }).click();
}

test('two browser tabs and a Node client complete two rounds; the stored updates include both tabs', { skip: skip ?? false, timeout: 420_000 }, async (ctx) => {
  ensureWebBuild();
  const t = await startTestServer({ rounds: 2, minClients: 3, roundTimeoutMs: 240_000 }, { dashboard: { access: 'on', demo: DEMO } });
  let browser: Browser | null = null;
  let node: Awaited<ReturnType<typeof startClient>> | null = null;
  try {
    browser = await launchBrowser();
    const context = await newContext(browser);
    const tabs = [await context.newPage(), await context.newPage()];
    const errors = tabs.flatMap((p) => collectPageErrors(p));
    const response = await tabs[0]!.goto(`${t.url}/join`);
    assert.equal(response?.headers()['content-security-policy'], JOIN_CSP, 'the join page is served with the strict CSP');
    await joinAs(tabs[0]!, t.url, mintClientToken(SECRET, 'browser-a'), { index: 1, backend: 'wasm' });
    await joinAs(tabs[1]!, t.url, mintClientToken(SECRET, 'browser-b'), { index: 2, backend: 'cpu' });
    node = await startClient(t.url, 0);

    await t.waitFor((e) => e.type === 'runFinished', 300_000);
    const runId = t.server.orchestrator.liveStatus().runId!;
    for (const round of [1, 2]) {
      const ids = (await t.store.listUpdates(runId, round)).map((u) => u.clientId).sort();
      assert.deepEqual(ids, ['browser-a', 'browser-b', 'client-0'], `round ${round} fused both tabs and the Node client`);
      assert.equal((await t.store.getRound(runId, round))?.state, 'done');
    }
    for (const [i, tab] of tabs.entries()) {
      await tab.getByLabel('join status').filter({ hasText: 'The run is over' }).waitFor();
      assert.equal(await tab.getByLabel('uploads acknowledged').textContent(), '2', `tab ${i} saw both uploads acknowledged`);
      assert.equal(await tab.getByLabel('local samples').textContent(), '60');
      const loss = Number(await tab.getByLabel('training loss').getAttribute('data-value'));
      assert.ok(Number.isFinite(loss) && loss > 0, `tab ${i} shows its training loss (${loss})`);
    }
    assert.equal(await tabs[0]!.getByLabel('backend in use').textContent(), 'wasm');
    assert.equal(await tabs[1]!.getByLabel('backend in use').textContent(), 'cpu');
    const browserUpdate = (await t.store.listUpdates(runId, 2)).find((u) => u.clientId === 'browser-a')!;
    assert.equal(browserUpdate.numExamples, 60);
    assert.ok(browserUpdate.hasAttribution, 'the tab computed and sent its attribution summary');
    const seconds = tabs.map((tab) => tab.getByLabel('round time').getAttribute('data-value'));
    ctx.diagnostic(`browser round times (wasm, cpu): ${(await Promise.all(seconds)).map((s) => Number(s).toFixed(2)).join(', ')} s`);
    assert.deepEqual(errors, [], 'no page errors (a CSP violation would be one)');
  } finally {
    node?.client.close();
    await browser?.close();
    await t.close();
  }
});

test('a browser client with a wrong token sees the refusal', { skip: skip ?? false, timeout: 240_000 }, async () => {
  ensureWebBuild();
  const t = await startTestServer({ rounds: 1, minClients: 1 }, { dashboard: { access: 'on', demo: DEMO } });
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser();
    const page = await (await newContext(browser)).newPage();
    await joinAs(page, t.url, mintClientToken('another-secret-0123456789', 'intruder'), { index: 0, backend: 'cpu' });
    const status = page.getByLabel('join status');
    await status.filter({ hasText: 'unauthenticated' }).waitFor();
    assert.equal(await status.getAttribute('data-kind'), 'error');
    assert.equal((await t.store.listClients()).length, 0, 'nothing of the refused tab reached the store');

    // Not a token at all: refused in the page before any connection.
    await page.getByLabel('client token').fill('not-a-token');
    await page.getByRole('button', { name: 'Join' }).click();
    await status.filter({ hasText: 'not a fedfuse client token' }).waitFor();
  } finally {
    await browser?.close();
    await t.close();
  }
});
