import type { ErrorCode } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';
import type { ScreeningReport } from '../screening/index.ts';
import type { AggregationRequest, AggregationResponse, EvaluationResponse, ScreeningRequest } from './aggregation-jobs.ts';

/** Messages between the server thread and the fusion worker (structured clone; typed arrays travel as copies). */
export type WorkerRequest =
  | { readonly id: number; readonly kind: 'aggregate'; readonly request: AggregationRequest }
  | { readonly id: number; readonly kind: 'screen'; readonly request: ScreeningRequest }
  | { readonly id: number; readonly kind: 'evaluate'; readonly network: Network; readonly parents: readonly Network[] };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly kind: 'aggregate'; readonly result: AggregationResponse }
  | { readonly id: number; readonly ok: true; readonly kind: 'screen'; readonly result: ScreeningReport }
  | { readonly id: number; readonly ok: true; readonly kind: 'evaluate'; readonly result: EvaluationResponse | null }
  | { readonly id: number; readonly ok: false; readonly code: ErrorCode; readonly message: string };
