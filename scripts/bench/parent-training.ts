import type { Dataset } from '../../common/data/index.ts';
import { initNetwork, type ModelSpec, type Network } from '../../common/model/index.ts';
import { trainNetwork, type TrainingOptions } from '../../common/training/index.ts';

/**
 * The parents of a fusion: one model per client, trained on its own split.
 * - 'independent': every client starts from its own random initialisation
 *   (the paper's setting; plain averaging collapses here);
 * - 'common': every client starts from the same initial model, as in one
 *   round of federated learning.
 */
export type ParentInit = 'independent' | 'common';

export interface TrainingSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

export const DEFAULT_TRAINING: TrainingSettings = { epochs: 5, batchSize: 32, learningRate: 1e-3 };

export interface TrainedParents {
  readonly parents: Network[];
  readonly trainSeconds: number;
}

export async function trainParents(spec: ModelSpec, clients: readonly Dataset[], init: ParentInit, seed: number, settings: TrainingSettings): Promise<TrainedParents> {
  const started = performance.now();
  const common = initNetwork(spec, 1000 * seed + 999);
  const parents: Network[] = [];
  for (const [c, data] of clients.entries()) {
    const start = init === 'common' ? common : initNetwork(spec, 1000 * seed + c);
    const options: TrainingOptions = { ...settings, optimizer: 'adam', seed: 1000 * seed + c };
    parents.push((await trainNetwork(start, data, options)).network);
  }
  return { parents, trainSeconds: (performance.now() - started) / 1000 };
}
