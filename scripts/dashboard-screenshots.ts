/**
 * The screenshots in docs/dashboard.md: the dashboard mid-run (desktop and
 * phone width) and the join page of a browser client that has trained.
 * A real run: two Node clients and one browser tab on the embedded digits.
 *
 *   node --import tsx scripts/dashboard-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { mintClientToken } from '../server/auth/index.ts';
import { ensureWebBuild, launchBrowser, newContext } from '../test/browser-fixtures.ts';
import { READ_TOKEN, SECRET, startClient, startTestServer } from '../test/rounds-fixtures.ts';

const OUT = 'docs/images';
mkdirSync(OUT, { recursive: true });
ensureWebBuild();
const t = await startTestServer({ rounds: 12, minClients: 3, roundTimeoutMs: 120_000 }, { dashboard: { access: 'on', demo: { splitSeed: 1, calibrationSize: 100, testSize: 300 } } });
const browser = await launchBrowser();
try {
  const context = await newContext(browser);
  const join = await context.newPage();
  await join.goto(`${t.url}/join`);
  await join.getByLabel('client token').fill(mintClientToken(SECRET, 'browser-tab'));
  await join.getByLabel('demo parts', { exact: true }).fill('3');
  await join.getByLabel('demo part', { exact: true }).fill('2');
  await join.getByLabel('demo samples').fill('0');
  await join.getByLabel('backend', { exact: true }).selectOption('wasm');
  await join.getByRole('button', { name: 'Join' }).click();
  const dashboard = await context.newPage();
  await dashboard.goto(`${t.url}/#token=${READ_TOKEN}`);
  const clients = [await startClient(t.url, 0), await startClient(t.url, 1)];
  await dashboard.locator('#rounds-table tr[data-round="4"][data-state="done"]').waitFor({ timeout: 120_000 });
  await dashboard.screenshot({ path: `${OUT}/dashboard-mid-run.png`, fullPage: true });
  const phone = await (await newContext(browser, { width: 390, height: 844 })).newPage();
  await phone.goto(`${t.url}/#token=${READ_TOKEN}`);
  await phone.locator('#rounds-table tr[data-round="5"][data-state="done"]').waitFor({ timeout: 120_000 });
  await phone.screenshot({ path: `${OUT}/dashboard-phone.png`, fullPage: true });
  await join.screenshot({ path: `${OUT}/join.png`, fullPage: true });
  for (const c of clients) c.client.close();
  process.stdout.write(`wrote ${OUT}/dashboard-mid-run.png, dashboard-phone.png, join.png\n`);
} finally {
  await browser.close();
  await t.close();
}
