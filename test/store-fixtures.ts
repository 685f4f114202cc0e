import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import type { AsyncRoundStore, RoundStore } from '../server/store/index.ts';

/** Shared helpers of the store tests. */

/** A fresh directory under the OS temp dir; removed by the returned cleanup. */
export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fedfuse-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Deterministic bytes that are not a simple pattern SQLite could mangle
 * unnoticed: every byte value including 0, odd lengths allowed. A plain
 * Uint8Array, not a Buffer, as the wire layer hands them over.
 */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function assertSameBytes(actual: Uint8Array | null | undefined, expected: Uint8Array, what = 'blob'): void {
  assert.ok(actual instanceof Uint8Array, `${what}: expected bytes, got ${String(actual)}`);
  assert.equal(actual.byteLength, expected.byteLength, `${what}: length`);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  assert.ok(a.equals(e), `${what}: bytes differ`);
}

/** Asserts that `fn` throws a FedfuseError with `code` (and a message matching `message`, when given). */
export function assertThrowsCode(fn: () => unknown, code: ErrorCode, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isFedfuseError(e), `expected FedfuseError(${code}), got ${String(e)}`);
    assert.equal(e.code, code, `expected code ${code}, got ${e.code}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

/** A running run with its initial model, clients c1..cN and round 1 open for all of them. */
export function seedOpenRound(
  store: RoundStore,
  options: { runId?: string; clients?: number; initialModel?: Uint8Array } = {},
): { runId: string; clientIds: string[] } {
  const runId = options.runId ?? 'run-1';
  const clientIds = Array.from({ length: options.clients ?? 3 }, (_, i) => `c${i + 1}`);
  store.createRun({
    id: runId,
    config: { rounds: 10, clientsPerRound: clientIds.length },
    modelSpec: { inputShape: [784], layers: [{ kind: 'dense', units: 10, activation: 'linear', useBias: true }], outputActivation: 'softmax' },
    initialModel: options.initialModel ?? patternBytes(1000, 99),
  });
  for (const id of clientIds) store.upsertClient({ id, numExamples: 100 });
  store.openRound({ runId, round: 1, sampledClientIds: clientIds, deadline: Date.now() + 60_000, attempt: 1 });
  return { runId, clientIds };
}

/** Asserts that `fn` rejects with a FedfuseError with `code` (and a message matching `message`, when given). */
export async function assertRejectsCode(fn: () => Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  await assert.rejects(fn, (e: unknown) => {
    assert.ok(isFedfuseError(e), `expected FedfuseError(${code}), got ${String(e)}`);
    assert.equal(e.code, code, `expected code ${code}, got ${e.code}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

/** seedOpenRound through the async contract. */
export async function seedOpenRoundAsync(
  store: AsyncRoundStore,
  options: { runId?: string; clients?: number; initialModel?: Uint8Array } = {},
): Promise<{ runId: string; clientIds: string[] }> {
  const runId = options.runId ?? 'run-1';
  const clientIds = Array.from({ length: options.clients ?? 3 }, (_, i) => `c${i + 1}`);
  await store.createRun({
    id: runId,
    config: { rounds: 10, clientsPerRound: clientIds.length },
    modelSpec: { inputShape: [784], layers: [{ kind: 'dense', units: 10, activation: 'linear', useBias: true }], outputActivation: 'softmax' },
    initialModel: options.initialModel ?? patternBytes(1000, 99),
  });
  for (const id of clientIds) await store.upsertClient({ id, numExamples: 100 });
  await store.openRound({ runId, round: 1, sampledClientIds: clientIds, deadline: Date.now() + 60_000, attempt: 1 });
  return { runId, clientIds };
}
