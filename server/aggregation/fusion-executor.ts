import type { Network } from '../../common/model/network.ts';
import type { AggregationRequest, AggregationResponse, EvaluationResponse } from './aggregation-jobs.ts';

/** Where a round's tensor work runs: a worker thread in the server, in-process elsewhere. */
export interface FusionExecutor {
  aggregate(request: AggregationRequest): Promise<AggregationResponse>;
  evaluate(network: Network, parents: readonly Network[]): Promise<EvaluationResponse | null>;
  close(): Promise<void>;
}
