import type { Network } from '../../common/model/network.ts';
import type { ScreeningReport } from '../screening/index.ts';
import type { AggregationRequest, AggregationResponse, EvaluationResponse, ScreeningRequest } from './aggregation-jobs.ts';

/** Where a round's tensor work runs: a worker thread in the server, in-process elsewhere. */
export interface FusionExecutor {
  aggregate(request: AggregationRequest): Promise<AggregationResponse>;
  /** Measures a round's updates on the calibration set and gives each a verdict (server/screening). */
  screen(request: ScreeningRequest): Promise<ScreeningReport>;
  evaluate(network: Network, parents: readonly Network[]): Promise<EvaluationResponse | null>;
  close(): Promise<void>;
}
