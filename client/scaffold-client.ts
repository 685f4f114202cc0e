import type { LabelledSamples } from '../common/attribution/index.ts';
import type { Network } from '../common/model/network.ts';
import { networkArrays, networkFromArrays, recordDict, SCAFFOLD_CLIENT_VARIATE, SCAFFOLD_SERVER_VARIATE, type RecordDict } from '../common/records/index.ts';
import { meanGradient } from '../common/training/index.ts';
import { weightedSum } from './network-arithmetic.ts';

/**
 * A client's side of SCAFFOLD (Karimireddy et al. 2020), when its task
 * carries the server's control variate c (and its own c_i from the last
 * round it took part in; absent = 0):
 * - every local step's gradient is corrected by c − c_i;
 * - its new control variate is option I of the paper, c_i+ = ∇f_i(x), the
 *   mean full-batch gradient of its local loss at the received model x (one
 *   extra pass over its data), returned in its update's records.
 * Returns null when the task is not SCAFFOLD's.
 */
export interface ScaffoldStep {
  readonly gradientCorrection: Network;
  /** The records the update returns, computed from the received model. */
  readonly returned: () => Promise<RecordDict>;
}

export function scaffoldStep(taskModel: Network, taskRecords: RecordDict, data: LabelledSamples): ScaffoldStep | null {
  const c = taskRecords.arrays.get(SCAFFOLD_SERVER_VARIATE);
  if (c === undefined) return null;
  const server = networkFromArrays(c, taskModel.spec, `task record ${SCAFFOLD_SERVER_VARIATE}`);
  const own = taskRecords.arrays.get(SCAFFOLD_CLIENT_VARIATE);
  const gradientCorrection = own === undefined ? server : weightedSum([server, networkFromArrays(own, taskModel.spec, `task record ${SCAFFOLD_CLIENT_VARIATE}`)], [1, -1]);
  return {
    gradientCorrection,
    returned: async () => recordDict({ [SCAFFOLD_CLIENT_VARIATE]: networkArrays(await meanGradient(taskModel, data)) }),
  };
}
