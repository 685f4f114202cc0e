import { FedfuseError } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';
import {
  networkArrays,
  networkFromArrays,
  recordDict,
  SCAFFOLD_CLIENT_VARIATE,
  SCAFFOLD_SERVER_VARIATE,
  type RecordDict,
} from '../../common/records/index.ts';
import type { ModelSpec } from '../../common/model/spec.ts';
import { weightedParameterSum } from '../fusion/index.ts';

/**
 * SCAFFOLD's control variates on the server (Karimireddy et al. 2020,
 * Algorithm 1), for clients that keep nothing between rounds:
 * - the server keeps c (strategy state, record SCAFFOLD_SERVER_VARIATE) and
 *   N, the number of distinct clients that have taken part so far (config
 *   record "scaffold", key "clients");
 * - each client's latest c_i is the c_i+ of its latest fused update (the
 *   orchestrator's FusedRecordsIndex); the task carries c and that c_i;
 * - after a round with participants S: c <- c + (1/N) * sum_{i in S} (c_i+ - c_i),
 *   with c_i = 0 for a client taking part for the first time, which also
 *   counts it into N. The paper's N is the number of all clients, known in
 *   advance; a server that admits clients as they come can only count those
 *   seen so far (so early rounds move c more than the paper's would).
 * The model update is the example-weighted mean of the client models (FedAvg).
 */
export const SCAFFOLD_STATE_CONFIG = 'scaffold';

/** The task records of one client: c (zeros before the first round) and its c_i when it has one. */
export function scaffoldTaskRecords(state: RecordDict, lastFused: RecordDict | null, zeros: () => Network): RecordDict {
  const c = state.arrays.get(SCAFFOLD_SERVER_VARIATE) ?? networkArrays(zeros());
  const ci = lastFused?.arrays.get(SCAFFOLD_CLIENT_VARIATE);
  return recordDict(ci === undefined ? { [SCAFFOLD_SERVER_VARIATE]: c } : { [SCAFFOLD_SERVER_VARIATE]: c, [SCAFFOLD_CLIENT_VARIATE]: ci });
}

/** One participant of a round, as the control-variate update needs it. */
export interface ControlVariateUpdate {
  /** c_i as the client's task carried it, or null when it had none (first participation: c_i = 0). */
  readonly previous: Network | null;
  /** c_i+, the control variate the client returned. */
  readonly next: Network;
}

/** c <- c + (1/N) sum (c_i+ - c_i), N counting the new clients of this round too. */
export function updateServerVariate(c: Network, clientsSeen: number, updates: readonly ControlVariateUpdate[]): { c: Network; clientsSeen: number } {
  const n = clientsSeen + updates.filter((u) => u.previous === null).length;
  if (n === 0) return { c, clientsSeen };
  const parents: Network[] = [c];
  const coefficients: number[] = [1];
  for (const u of updates) {
    parents.push(u.next);
    coefficients.push(1 / n);
    if (u.previous !== null) {
      parents.push(u.previous);
      coefficients.push(-1 / n);
    }
  }
  return { c: weightedParameterSum(parents, coefficients), clientsSeen: n };
}

/** The strategy state SCAFFOLD keeps: c and N. */
export function scaffoldState(c: Network, clientsSeen: number): RecordDict {
  return recordDict({ [SCAFFOLD_SERVER_VARIATE]: networkArrays(c) }, { [SCAFFOLD_STATE_CONFIG]: { clients: clientsSeen } });
}

/** c and N from the strategy state (zeros and 0 at the start). */
export function readScaffoldState(state: RecordDict, spec: ModelSpec, zeros: () => Network): { c: Network; clientsSeen: number } {
  const c = state.arrays.get(SCAFFOLD_SERVER_VARIATE);
  const n = state.configs.get(SCAFFOLD_STATE_CONFIG)?.get('clients') ?? 0;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new FedfuseError('internal', `SCAFFOLD state: clients must be a count, got ${String(n)}`);
  return { c: c === undefined ? zeros() : networkFromArrays(c, spec, 'SCAFFOLD server control variate'), clientsSeen: n };
}

/** A client's control variate from its records, or null when it has none. */
export function clientVariate(records: RecordDict, spec: ModelSpec, what: string): Network | null {
  const ci = records.arrays.get(SCAFFOLD_CLIENT_VARIATE);
  return ci === undefined ? null : networkFromArrays(ci, spec, what);
}

/** A network of `spec` shaped like `like`, all zeros. */
export function zerosLike(like: Network): Network {
  return { spec: like.spec, layers: like.layers.map((l) => ({ kernel: new Float32Array(l.kernel.length), kernelShape: [...l.kernelShape], bias: l.bias === null ? null : new Float32Array(l.bias.length) })) };
}
