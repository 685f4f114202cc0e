import type { Network } from '../../common/model/network.ts';
import type { ClientUpdate, RoundTask } from '../../common/wire/index.ts';
import { EMPTY_RECORDS } from '../../common/records/index.ts';

/**
 * Lightweight "training" for load tests: the global model plus uniform noise
 * of half-width `amount` on every weight, drawn from a small seeded
 * generator. About a millisecond for a 1 MB model, so hundreds of clients
 * fit on two cores where real TF.js training would not; the server does the
 * same work with it as with a trained update (decode, store, screen, fuse).
 */
export function perturbedUpdate(task: RoundTask, clientId: string, numExamples: number, seed: number, amount: number): ClientUpdate {
  let state = (seed * 2_654_435_761 + task.round * 40_503 + 1) >>> 0 || 1;
  const next = (): number => {
    // xorshift32: plenty for noise, and cheap.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
  const noisy = (values: Float32Array): Float32Array => {
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i]! + (2 * next() - 1) * amount;
    return out;
  };
  const model: Network = {
    spec: task.model.spec,
    layers: task.model.layers.map((l) => ({ kernel: noisy(l.kernel), kernelShape: l.kernelShape, bias: l.bias === null ? null : noisy(l.bias) })),
  };
  return {
    type: 'clientUpdate',
    runId: task.runId,
    round: task.round,
    clientId,
    model,
    attribution: null,
    numExamples,
    metrics: { loss: 0, accuracy: 0, trainSeconds: 0, attributionSeconds: 0 },
    records: EMPTY_RECORDS,
    localSteps: 0,
  };
}
