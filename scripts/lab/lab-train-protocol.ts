import type { Network } from '../../common/model/network.ts';
import type { OptimizerName } from '../../common/training/index.ts';

/** One client's private data, as the lab hands it to a training thread once. */
export interface LabClientData {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

export interface LabTrainingConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  readonly proximalMu: number;
}

export interface LabTrainRequest {
  readonly id: number;
  readonly client: number;
  readonly network: Network;
  readonly training: LabTrainingConfig;
  readonly seed: number;
}

export type LabWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'trained'; readonly id: number; readonly network: Network; readonly loss: number; readonly accuracy: number; readonly seconds: number }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
