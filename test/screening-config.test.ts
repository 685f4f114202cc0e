import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveServerConfig, screeningOptionsOf } from '../server/config/index.ts';
import { DEFAULT_SCREENING_OPTIONS } from '../server/screening/index.ts';
import { BIN, listeningUrl, startServerProcess } from './server-process.ts';

const SECRET = 'screening-test-secret-0123456789';

describe('screening in the server config', () => {
  test('on by default with the documented thresholds', () => {
    assert.deepEqual(screeningOptionsOf(resolveServerConfig({ secret: SECRET })), DEFAULT_SCREENING_OPTIONS);
  });

  test('file or flag values reach the screening options', () => {
    const options = screeningOptionsOf(resolveServerConfig({ secret: SECRET }, { screening: false, screeningMaxDistanceRatio: 6, screeningMinUpdates: 8, screeningMinAgreement: 0.1 }));
    assert.deepEqual(options, { ...DEFAULT_SCREENING_OPTIONS, enabled: false, maxDistanceRatio: 6, minUpdatesForRelative: 8, minAgreement: 0.1 });
  });

  test('a bad value is refused naming the config key', () => {
    assert.throws(
      () => resolveServerConfig({ secret: SECRET, screeningMaxDistanceRatio: 0.5 }),
      (e: Error & { code?: string }) => e.code === 'invalid_argument' && e.message.startsWith('option screeningMaxDistanceRatio: must be a number > 1'),
    );
  });

  test('fedfuse server --screening takes on or off only', () => {
    // Generous: a process start takes tens of seconds on a loaded 2-core machine.
    const r = spawnSync(process.execPath, [BIN, 'server', '--secret', SECRET, '--screening', 'maybe'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'fedfuse: error (invalid_argument): --screening: must be on or off, got "maybe"\n');
  });

  test('fedfuse server --screening off --screening-max-distance-ratio 7 is recorded in the run config', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfuse-screening-'));
    const server = startServerProcess(['--secret', SECRET, '--port', '0', '--db', join(dir, 'f.sqlite'), '--test-size', '0', '--screening', 'off', '--screening-max-distance-ratio', '7', '--log-level', 'info', '--read-api', 'public']);
    try {
      const url = await listeningUrl(server, 200_000);
      const { runs } = (await (await fetch(`${url}/api/runs`)).json()) as { runs: { config: Record<string, unknown> }[] };
      assert.equal(runs[0]!.config['screening'], false);
      assert.equal(runs[0]!.config['screeningMaxDistanceRatio'], 7);
    } finally {
      await server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
