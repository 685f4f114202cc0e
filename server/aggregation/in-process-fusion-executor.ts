import { initBackend } from '../../common/backend/index.ts';
import { runAggregation, runEvaluation, runScreening, type ServerDataSets } from './aggregation-jobs.ts';
import type { FusionExecutor } from './fusion-executor.ts';

/** Runs fusion on the calling thread: for tests, the CLI and benchmarks, where nothing else waits on the event loop. */
export function createInProcessFusionExecutor(data: ServerDataSets): FusionExecutor {
  return {
    async aggregate(request) {
      await initBackend();
      return runAggregation(data, request);
    },
    async screen(request) {
      await initBackend();
      return runScreening(data, request);
    },
    async evaluate(network, parents) {
      await initBackend();
      return runEvaluation(data, network, parents);
    },
    async close() {},
  };
}
