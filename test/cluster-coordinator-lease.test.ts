import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CoordinatorLease } from '../server/cluster/coordinator-lease.ts';
import { postgresSchemaUrl, requirePostgres, uniqueSchemaName } from './service-fixtures.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LEASE_URL = pathToFileURL(path.join(REPO_ROOT, 'server/cluster/coordinator-lease.ts')).href;
const LEASE_MS = 1_000;

/** Resolves once `lease` reports `held`, with the time it took; rejects after `withinMs`. */
function whenHeld(lease: { readonly held: boolean }, withinMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (lease.held) {
        clearInterval(poll);
        resolve(Date.now() - started);
      } else if (Date.now() - started > withinMs) {
        clearInterval(poll);
        reject(new Error(`lease not taken within ${withinMs} ms`));
      }
    }, 10);
  });
}

// The lease names its schema, and no schema is created: the advisory lock lives in the database, keyed by name.
describe('coordinator lease (PostgreSQL advisory lock)', () => {
  before(requirePostgres);

  test('one holder at a time; a stopped holder hands over within the lease time; other names are independent', async () => {
    const url = postgresSchemaUrl(uniqueSchemaName('lease'));
    const changes: string[] = [];
    const a = new CoordinatorLease({ url, name: 'run-1', leaseMs: LEASE_MS, onChange: (h) => changes.push(`a:${h}`) });
    const b = new CoordinatorLease({ url, name: 'run-1', leaseMs: LEASE_MS, onChange: (h) => changes.push(`b:${h}`) });
    const other = new CoordinatorLease({ url, name: 'run-2', leaseMs: LEASE_MS, onChange: () => {} });
    try {
      a.start();
      await whenHeld(a, 5_000);
      b.start();
      other.start();
      await whenHeld(other, 5_000);
      await new Promise((r) => setTimeout(r, 3 * (LEASE_MS / 5)));
      assert.equal(b.held, false, 'two holders of one lease');
      await a.stop();
      const took = await whenHeld(b, LEASE_MS + 500);
      assert.ok(took <= LEASE_MS, `took over after ${took} ms`);
      assert.deepEqual(changes, ['a:true', 'a:false', 'b:true']);
    } finally {
      await Promise.all([a.stop(), b.stop(), other.stop()]);
    }
  });

  test('a holder killed with SIGKILL loses the lease to a standby within the lease time', async (t) => {
    const url = postgresSchemaUrl(uniqueSchemaName('lease'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { CoordinatorLease } = await import(${JSON.stringify(LEASE_URL)});
         const lease = new CoordinatorLease({ url: process.env.LEASE_DB, name: 'run-1', leaseMs: ${LEASE_MS}, onChange: (h) => h && process.stdout.write('HELD\\n') });
         lease.start();
         setInterval(() => {}, 1000);`,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, LEASE_DB: url }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const standby = new CoordinatorLease({ url, name: 'run-1', leaseMs: LEASE_MS, onChange: () => {} });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('HELD') && resolve());
        child.once('exit', () => reject(new Error('child exited before holding the lease')));
      });
      standby.start();
      await new Promise((r) => setTimeout(r, LEASE_MS));
      assert.equal(standby.held, false, 'the standby took a lease that was held');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const took = await whenHeld(standby, 3 * LEASE_MS);
      t.diagnostic(`standby took over ${took} ms after the holder was killed (lease ${LEASE_MS} ms)`);
      assert.ok(took <= LEASE_MS + 200, `took over after ${took} ms`);
    } finally {
      child.kill('SIGKILL');
      await standby.stop();
    }
  });
});
