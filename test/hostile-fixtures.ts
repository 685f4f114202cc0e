import assert from 'node:assert/strict';
import { layerWidths } from '../common/model/spec.ts';
import type { Network } from '../common/model/network.ts';
import { ERROR_CODES } from '../common/errors/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { envelopeToProto, type ClientUpdate, type RoundTask, type WireMessage } from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { EMPTY_RECORDS } from '../common/records/index.ts';

/**
 * Builders for the hostile-input tests: valid updates for a task, and
 * envelopes crafted with the generated protobuf code so that they carry what
 * encodeEnvelope would refuse to produce (a tensor shorter than its shape,
 * NaN scores, ...), exactly as a hostile peer would send them.
 */

export function updateFor(task: RoundTask, clientId: string, overrides: Partial<ClientUpdate> = {}): ClientUpdate {
  return {
    type: 'clientUpdate',
    runId: task.runId,
    round: task.round,
    clientId,
    model: task.model,
    attribution: null,
    numExamples: 100,
    metrics: { loss: 1, accuracy: 0.5, trainSeconds: 0.1, attributionSeconds: 0 },
    records: EMPTY_RECORDS,
    localSteps: 0,
    ...overrides,
  };
}

/**
 * A copy of `net` with every weight moved by up to ±0.01: what a client that
 * trained a little would send. Raw test peers send this rather than the task's
 * model itself, so that no two updates of a round are identical.
 */
export function perturbed(net: Network, seed: number): Network {
  const rng = new SeededRandom(seed);
  const nudge = (values: Float32Array): Float32Array => values.map((v) => v + (rng.next() - 0.5) * 0.02);
  return { spec: net.spec, layers: net.layers.map((l) => ({ kernel: nudge(l.kernel), kernelShape: l.kernelShape, bias: l.bias === null ? null : nudge(l.bias) })) };
}

/** One score per neuron of every weighted layer, all 1: a valid attribution summary for `task`'s model. */
export function uniformScores(task: RoundTask): Float32Array[] {
  return layerWidths(task.model.spec).map((w) => new Float32Array(w).fill(1));
}

/**
 * The envelope of `update` as a protobuf object, handed to `edit` before it is
 * encoded without any of encodeEnvelope's checks. Tensor bytes are copied
 * first, so editing them cannot touch the task's model.
 */
export function craftUpdateBytes(update: ClientUpdate, edit: (body: fedfuse.v1.IClientUpdate) => void): Uint8Array {
  const envelope = envelopeToProto(update);
  const body = envelope.clientUpdate!;
  for (const tensor of body.model?.tensors ?? []) tensor.data = Uint8Array.from(tensor.data ?? []);
  edit(body);
  return fedfuse.v1.Envelope.encode(envelope).finish();
}

/** Little-endian float32 bytes of `values`, for hand-made tensors and scores. */
export function float32Bytes(values: readonly number[] | Float32Array): Uint8Array {
  const f = Float32Array.from(values);
  return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
}

/** The error code of a reply, or its type ('ack', 'welcome') when it is not an error. */
export function replyCode(reply: WireMessage): string {
  return reply.type === 'error' ? reply.code : reply.type;
}

/** A reply must be one of the protocol's answers: an ack, a welcome, or an error with a known code that is not 'internal'. */
export function assertTypedReply(reply: WireMessage, what: string): void {
  if (reply.type === 'ack' || reply.type === 'welcome') return;
  assert.equal(reply.type, 'error', `${what}: the server answered with a ${reply.type}`);
  if (reply.type !== 'error') return;
  assert.ok((ERROR_CODES as readonly string[]).includes(reply.code), `${what}: unknown code ${reply.code}`);
  assert.notEqual(reply.code, 'internal', `${what}: internal error (a missing check): ${reply.message}`);
}

/** Polls `predicate` every 20 ms until it holds; for conditions no event announces (an SDK client's own event list). */
export async function until(what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
