import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObserverStatus } from '../common/events/observer-events.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { DASHBOARD_CSP } from '../server/dashboard/index.ts';
import type { RoundListView, RunListView } from '../server/http/index.ts';
import { ensureWebBuild } from './browser-fixtures.ts';
import { connectRaw } from './raw-protocol-client.ts';
import { READ_HEADERS, READ_TOKEN, SECRET } from './rounds-fixtures.ts';
import { finishedRunDatabase } from './viewer-fixtures.ts';
import { freePort, startServerProcess } from './server-process.ts';

/**
 * `fedfuse dashboard --db FILE`, a real process: the dashboard, the JSON API
 * and the round models of an old database, with no run served. The file is
 * opened read-only (its bytes are the same afterwards), nothing mutates
 * (admin routes off, no client can connect), and a missing file is one line.
 */

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

test('fedfuse dashboard shows an old database read-only: runs, rounds, models; nothing written, nobody joins', { timeout: 420_000 }, async () => {
  ensureWebBuild();
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-viewer-'));
  try {
    const { dbPath, runId } = await finishedRunDatabase(dir);
    const before = sha256(dbPath);
    const port = await freePort();
    // The read token from the environment, as the README says (not on the command line, where ps shows it).
    const viewer = startServerProcess(['--db', dbPath, '--port', String(port), '--log-level', 'warn'], { FEDFUSE_READ_TOKEN: READ_TOKEN }, 'dashboard');
    try {
      await viewer.waitForLine((l) => l.startsWith('FEDFUSE_LISTENING'), 180_000);
      const url = `http://127.0.0.1:${port}`;
      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-security-policy'), DASHBOARD_CSP);
      await page.arrayBuffer();

      // --read-api private by default here too: without the token the per-client routes answer 401.
      for (const path of ['/api/runs', `/api/rounds?run=${runId}`, '/api/rounds/1', '/api/observer']) {
        const refused = await fetch(`${url}${path}`);
        assert.equal(refused.status, 401, path);
        assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'unauthenticated', path);
      }
      const runs = (await (await fetch(`${url}/api/runs`, { headers: READ_HEADERS })).json()) as RunListView;
      assert.deepEqual(runs.runs.map((r) => [r.id, r.state]), [[runId, 'finished']]);
      const list = (await (await fetch(`${url}/api/rounds?run=${runId}`, { headers: READ_HEADERS })).json()) as RoundListView;
      assert.deepEqual(list.rounds.map((r) => [r.round, r.state, r.participants]), [[1, 'done', 1], [2, 'done', 1]]);
      assert.ok(list.rounds.every((r) => r.evaluations.length === 1), 'each round with its evaluation');
      const model = await fetch(`${url}/api/rounds/2/model/model.json?run=${runId}`);
      assert.equal(model.status, 200);
      const weights = (await model.json()) as { weightsManifest: Array<{ paths: string[] }> };
      const bin = await fetch(`${url}/api/rounds/2/model/${weights.weightsManifest[0]!.paths[0]}?run=${runId}`);
      assert.equal(bin.status, 200);
      assert.ok((await bin.arrayBuffer()).byteLength > 10_000, 'the round model downloads');

      const status = (await (await fetch(`${url}/api/observer`, { headers: READ_HEADERS })).json()) as ObserverStatus;
      assert.equal(status.runId, null, 'no run is live');
      assert.equal(status.phase, 'read_only');

      // Nothing mutates: the admin routes are off whatever the token, and no client can connect.
      for (const path of ['/api/run/stop', '/api/tokens']) {
        const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' }, body: '{"clientId":"x"}' });
        assert.equal(res.status, 403, path);
        await res.arrayBuffer();
      }
      await assert.rejects(connectRaw(url, mintClientToken(SECRET, 'client-9')), (e: Error & { data?: { code: string } }) => e.data?.code === 'unauthenticated');
      const after = (await (await fetch(`${url}/api/observer`, { headers: READ_HEADERS })).json()) as ObserverStatus;
      assert.deepEqual(after.handshakeRefusals, { unauthenticated: 1 }, 'the refused client is counted for the page');
    } finally {
      await viewer.kill('SIGTERM');
    }
    assert.equal(sha256(dbPath), before, 'the database file is byte for byte the same');

    const missing = startServerProcess(['--db', join(dir, 'nope.sqlite'), '--port', '0'], {}, 'dashboard');
    const code = await new Promise<number | null>((resolve) => missing.child.once('exit', resolve));
    assert.notEqual(code, 0);
    const stderr = missing.lines.filter((l) => l.startsWith('[stderr]'));
    assert.equal(stderr.length, 1, stderr.join('\n'));
    assert.match(stderr[0]!, /nope\.sqlite/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
