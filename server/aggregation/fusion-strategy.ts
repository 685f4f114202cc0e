import { uniformSummary, type AttributionSummary } from '../../common/attribution/summary.ts';
import type { TrainingConfig } from '../../common/wire/index.ts';
import type { FusionMethod, ServerImportance } from '../fusion/index.ts';
import { sampleClients, type SamplingOptions } from '../rounds/client-sampling.ts';
import type { AggregateOutcome, FitResult, Strategy } from '../rounds/strategy.ts';
import type { FusionExecutor } from './fusion-executor.ts';

/** Where neuron importances come from: the clients' attribution summaries, or the server's own calibration pass. */
export type ImportanceSource = 'client' | ServerImportance;

export interface FusionStrategyOptions {
  readonly aggregator: FusionMethod;
  readonly importance: ImportanceSource;
  readonly training: TrainingConfig;
  readonly sampling: SamplingOptions;
  readonly seed: number;
}

/**
 * The default strategy: sample clients, have them train, fuse their models
 * with the configured aggregator in the executor (a worker thread in the
 * server), evaluate on the server's test set. Math lives in server/fusion;
 * this is orchestration only.
 */
export function createFusionStrategy(options: FusionStrategyOptions, executor: FusionExecutor): Strategy {
  return {
    name: options.aggregator,
    configureFit(_round, available, rng) {
      return { clientIds: sampleClients(available, options.sampling, rng) };
    },
    trainingConfig() {
      return options.training;
    },
    async aggregateFit(round, _global, results) {
      // HF is defined for exactly two parents; with another count the round still gets a model, from KF-linear.
      const method: FusionMethod = options.aggregator === 'hf' && results.length !== 2 ? 'kf-linear' : options.aggregator;
      const importances = options.importance === 'client' ? clientImportances(results) : null;
      const started = performance.now();
      const { network, report } = await executor.aggregate({
        method,
        parents: results.map((r) => r.network),
        importances,
        importance: options.importance === 'client' ? 'uniform' : options.importance,
        numExamples: results.map((r) => r.numExamples),
        seed: options.seed * 7919 + round,
      });
      const seconds = (performance.now() - started) / 1000;
      const outcome: AggregateOutcome = {
        network,
        aggregator: method,
        fusionSeconds: report.totalSeconds,
        metrics: {
          requestedAggregator: options.aggregator,
          importance: report.importance,
          wallSeconds: seconds,
          levels: report.levels.map((l) => ({ layer: l.weightedLayer, width: l.width, grouping: l.grouping, fit: l.targetFitRelativeError, seconds: l.seconds.total })),
        },
      };
      return outcome;
    },
    async evaluate(_round, network, results) {
      const evaluation = await executor.evaluate(network, results.map((r) => r.network));
      if (evaluation === null) return { evaluations: [], metrics: {} };
      return {
        evaluations: [{ dataset: evaluation.dataset, accuracy: evaluation.accuracy, loss: evaluation.loss, samples: evaluation.samples, extra: { ensembleAccuracy: evaluation.ensembleAccuracy } }],
        metrics: { ensembleAccuracy: evaluation.ensembleAccuracy },
      };
    },
  };
}

/** The clients' summaries; a client that sent none counts as uniform (fusion normalises each parent's scores per layer). */
function clientImportances(results: readonly FitResult[]): AttributionSummary[] | null {
  if (results.every((r) => r.attribution === null)) return null;
  return results.map((r) => r.attribution ?? uniformSummary(r.network.spec));
}
