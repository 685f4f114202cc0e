import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { defaultWebAssets, missingBuild } from '../server/dashboard/index.ts';

/**
 * A real Chromium (Debian's, driven by playwright-core; no browser download)
 * for the page tests. Launched headless with the flags a closed network and
 * root need (shared/facts.md); Playwright gives each launch a fresh profile.
 * Every launch has a timeout and every test closes its browser in `finally`,
 * so a misbehaving Chromium fails the test instead of hanging the suite.
 */
export const CHROMIUM_PATH = process.env['FEDFUSE_CHROMIUM'] ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Why the browser tests cannot run here, or null. Without Chromium they are
 * skipped locally; CI (.ci/run installs Chromium and sets
 * FEDFUSE_REQUIRE_BROWSER=1) fails instead, so a missing browser is never a
 * silent pass there.
 */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const why = `${CHROMIUM_PATH} is missing (apt-get install -y chromium)`;
  if (process.env['FEDFUSE_REQUIRE_BROWSER'] === '1') throw new Error(why);
  return why;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, timeout: 90_000 });
}

/**
 * A context whose page steps time out after 60 s: a step that does not happen fails within a minute. (20 s was
 * too short in npm test under a load average of 20, where a round showed up to 15 s after it closed.)
 */
export async function newContext(browser: Browser, options: { width?: number; height?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1200, height: options.height ?? 900 } });
  context.setDefaultTimeout(60_000);
  return context;
}

/** Page errors and console errors, collected so a test can assert there were none (a CSP violation is one). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} for ${r.url()}`);
  });
  return errors;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/web when it is missing or older than a source it bundles (npm
 * install builds it; this catches an edit since). The build is the same
 * `npm run build` as CI's.
 */
export function ensureWebBuild(): void {
  const assets = defaultWebAssets();
  const built = missingBuild(assets) === null ? statSync(path.join(assets.pagesDir, 'join.js')).mtimeMs : 0;
  const sources = Math.max(...['web', 'client', 'common'].map((d) => newestMtime(path.join(ROOT, d))));
  if (built >= sources) return;
  execFileSync(process.execPath, [path.join(ROOT, 'web', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
}
