import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND_ENV_VAR, parseBackendPreference } from '../common/backend/index.ts';
import { isFedfuseError } from '../common/errors/index.ts';

/**
 * Backend choice is per process, so each case runs in a child `node --import tsx`
 * that calls initBackend twice and prints what TF.js reports.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CHILD_SCRIPT = `
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './common/backend/index.ts';
const first = await initBackend();
const second = await initBackend();
console.log(JSON.stringify({ first, second, active: tf.getBackend() }));
`;

interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runChild(backendEnv: string | undefined): Promise<ChildResult> {
  const env = { ...process.env };
  delete env[BACKEND_ENV_VAR];
  if (backendEnv !== undefined) env[BACKEND_ENV_VAR] = backendEnv;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', CHILD_SCRIPT],
      { cwd: repoRoot, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** tfjs-node is an optional dependency that cannot install here (facts.md); on machines where it did, auto picks it. */
function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

function chosenLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('fedfuse: TF.js backend'));
}

describe('backend selection', () => {
  test(`${BACKEND_ENV_VAR}=cpu forces cpu and the choice is logged once; unset picks wasm here; unknown or unavailable ones fail clearly`, async () => {
    const [cpu, auto, bogus, tensorflow] = await Promise.all([runChild('cpu'), runChild(undefined), runChild('gpu-please'), runChild('tensorflow')]);

    assert.equal(cpu.code, 0, cpu.stderr);
    assert.deepEqual(JSON.parse(cpu.stdout), { first: 'cpu', second: 'cpu', active: 'cpu' });
    assert.deepEqual(chosenLines(cpu.stderr), ['fedfuse: TF.js backend cpu (forced)']);

    // Without tfjs-node auto lands on wasm, and says nothing about the missing tfjs-node.
    const expectedAuto = tfjsNodeInstalled() ? 'tensorflow' : 'wasm';
    assert.equal(auto.code, 0, auto.stderr);
    assert.deepEqual(JSON.parse(auto.stdout), { first: expectedAuto, second: expectedAuto, active: expectedAuto });
    assert.deepEqual(chosenLines(auto.stderr), [`fedfuse: TF.js backend ${expectedAuto}`]);

    assert.notEqual(bogus.code, 0);
    assert.equal(bogus.stdout, '');
    assert.match(bogus.stderr, /unknown TF\.js backend "gpu-please" \(FEDFUSE_BACKEND\): use auto, tensorflow, wasm or cpu/);

    // Forcing a backend that cannot load fails, saying why, instead of falling back.
    if (!tfjsNodeInstalled()) {
      assert.notEqual(tensorflow.code, 0);
      assert.match(tensorflow.stderr, /TF\.js backend "tensorflow" could not be initialised: @tensorflow\/tfjs-node not available/);
    }
  });

  test('parseBackendPreference accepts the documented names and aliases and rejects others with invalid_argument', () => {
    assert.equal(parseBackendPreference(undefined), 'auto');
    assert.equal(parseBackendPreference(''), 'auto');
    assert.equal(parseBackendPreference('auto'), 'auto');
    assert.equal(parseBackendPreference('wasm'), 'wasm');
    assert.equal(parseBackendPreference('cpu'), 'cpu');
    for (const alias of ['tensorflow', 'node', 'tfjs-node']) assert.equal(parseBackendPreference(alias), 'tensorflow');
    for (const bad of ['WASM', 'webgl', ' cpu']) {
      assert.throws(() => parseBackendPreference(bad), (e) => isFedfuseError(e, 'invalid_argument') && e.message.includes(`"${bad}"`));
    }
  });
});
