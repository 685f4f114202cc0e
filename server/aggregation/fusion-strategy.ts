import { uniformSummary, type AttributionSummary } from '../../common/attribution/summary.ts';
import type { Network } from '../../common/model/network.ts';
import type { TrainingConfig } from '../../common/wire/index.ts';
import type { FusionMethod, ServerImportance } from '../fusion/index.ts';
import { sampleClients, type SamplingOptions } from '../rounds/client-sampling.ts';
import type { AggregateOutcome, FitFailure, FitResult, Strategy } from '../rounds/strategy.ts';
import { resolveScreeningOptions, type ScreeningOptions, type ScreeningReport, type ScreeningRule } from '../screening/index.ts';
import type { NeuronFusionSettings } from './aggregation-jobs.ts';
import type { FusionExecutor } from './fusion-executor.ts';

/** Where neuron importances come from: the clients' attribution summaries, or the server's own calibration pass. */
export type ImportanceSource = 'client' | ServerImportance;

export interface FusionStrategyOptions {
  readonly aggregator: FusionMethod;
  readonly importance: ImportanceSource;
  readonly training: TrainingConfig;
  readonly sampling: SamplingOptions;
  readonly seed: number;
  /** Screening of the updates before fusion; on with DEFAULT_SCREENING_OPTIONS when absent. */
  readonly screening?: Partial<ScreeningOptions>;
  /** Settings of kf-linear and hf; default 'federated' (aggregation-jobs.ts). */
  readonly neuronFusion?: NeuronFusionSettings;
}

/** An update screening kept out of the fusion: a failure of the round, with the rule it broke. */
export interface ScreenedOutUpdate extends FitFailure {
  readonly rule: ScreeningRule;
}

/**
 * The default strategy: sample clients, have them train, screen their
 * updates and fuse those that pass with the configured aggregator in the
 * executor (a worker thread in the server), evaluate on the server's test
 * set. Screened-out updates stay in the store (the orchestrator stored them
 * on arrival) and are listed with their reasons in the round's metrics.
 * Math lives in server/fusion and server/screening; this is orchestration only.
 */
export function createFusionStrategy(options: FusionStrategyOptions, executor: FusionExecutor): Strategy {
  const screening = resolveScreeningOptions(options.screening);
  /** Per round being aggregated, the clients whose updates were fused: evaluate() compares the model with their ensemble only. */
  const fusedClients = new Map<number, ReadonlySet<string>>();
  return {
    name: options.aggregator,
    configureFit(_round, available, rng) {
      return { clientIds: sampleClients(available, options.sampling, rng) };
    },
    trainingConfig() {
      return options.training;
    },
    async aggregateFit(round, global, received) {
      const started = performance.now();
      const screened = screening.enabled ? await screenResults(executor, received, global, screening) : null;
      if (screened !== null && screened.kept.length === 0) {
        // Fusing nothing would silently re-broadcast the old model: the round fails instead, saying why.
        const why = screened.rejected.map((r) => `${r.clientId}: ${r.reason}`);
        return {
          network: null,
          aggregator: options.aggregator,
          fusionSeconds: 0,
          reason: `screening rejected all ${received.length} updates (${why.slice(0, 5).join('; ')}${why.length > 5 ? `; and ${why.length - 5} more` : ''})`,
          metrics: { requestedAggregator: options.aggregator, screening: screened.metrics },
        };
      }
      const results = screened?.kept ?? received;
      // HF is defined for exactly two parents; with another count the round still gets a model, from KF-linear.
      const method: FusionMethod = options.aggregator === 'hf' && results.length !== 2 ? 'kf-linear' : options.aggregator;
      const importances = options.importance === 'client' ? clientImportances(results) : null;
      // Label histograms are the best class evidence (docs/benchmarks.md, Label skew), but only when every
      // fused client shared one: mixing counts with estimates would weigh clients on different scales.
      const histograms = results.every((r) => r.labelHistogram !== null) ? results.map((r) => r.labelHistogram!) : null;
      const { network, report } = await executor.aggregate({
        method,
        parents: results.map((r) => r.network),
        importances,
        importance: options.importance === 'client' ? 'uniform' : options.importance,
        numExamples: results.map((r) => r.numExamples),
        seed: options.seed * 7919 + round,
        neuronFusion: options.neuronFusion ?? 'federated',
        ...(histograms !== null ? { classEvidence: histograms } : {}),
      });
      fusedClients.set(round, new Set(results.map((r) => r.clientId)));
      const seconds = (performance.now() - started) / 1000;
      const outcome: AggregateOutcome = {
        network,
        aggregator: method,
        fusionSeconds: report.totalSeconds,
        excluded: (screened?.rejected ?? []).map((r) => ({ clientId: r.clientId, reason: `screened out (${r.rule}): ${r.reason}` })),
        metrics: {
          requestedAggregator: options.aggregator,
          importance: report.importance,
          wallSeconds: seconds,
          levels: report.levels.map((l) => ({ layer: l.weightedLayer, width: l.width, grouping: l.grouping, fit: l.targetFitRelativeError, seconds: l.seconds.total })),
          ...(method === 'kf-linear' || method === 'hf'
            ? {
                neuronFusion: options.neuronFusion ?? 'federated',
                ...((options.neuronFusion ?? 'federated') === 'federated'
                  ? { classEvidence: histograms !== null ? 'label-histograms' : importances !== null ? 'client-attribution' : 'server-estimate' }
                  : {}),
              }
            : {}),
          ...(report.outputCalibration === undefined
            ? {}
            : {
                outputCalibration: {
                  scale: report.outputCalibration.scale,
                  scaleSkipped: report.outputCalibration.scaleSkipped,
                  priorBiasShift: report.outputCalibration.priorMatching?.biasShift ?? null,
                },
              }),
          screening: screened?.metrics ?? { enabled: false },
        },
      };
      return outcome;
    },
    async evaluate(round, network, received) {
      const fused = fusedClients.get(round);
      fusedClients.delete(round);
      const results = fused === undefined ? received : received.filter((r) => fused.has(r.clientId));
      const evaluation = await executor.evaluate(network, results.map((r) => r.network));
      if (evaluation === null) return { evaluations: [], metrics: {} };
      return {
        evaluations: [{ dataset: evaluation.dataset, accuracy: evaluation.accuracy, loss: evaluation.loss, samples: evaluation.samples, extra: { ensembleAccuracy: evaluation.ensembleAccuracy } }],
        metrics: { ensembleAccuracy: evaluation.ensembleAccuracy },
      };
    },
  };
}

/**
 * Has the executor screen the updates and splits them by verdict. The
 * metrics keep every measurement per client, so a round's record says why
 * each update was or was not fused.
 */
async function screenResults(
  executor: FusionExecutor,
  results: readonly FitResult[],
  global: Network,
  options: ScreeningOptions,
): Promise<{ kept: FitResult[]; rejected: ScreenedOutUpdate[]; metrics: Record<string, unknown> }> {
  const report: ScreeningReport = await executor.screen({ updates: results.map((r) => r.network), global, options });
  const kept: FitResult[] = [];
  const rejected: ScreenedOutUpdate[] = [];
  results.forEach((r, k) => {
    const rejection = report.updates[k]!.rejection;
    if (rejection === null) kept.push(r);
    else rejected.push({ clientId: r.clientId, reason: rejection.reason, rule: rejection.rule });
  });
  return {
    kept,
    rejected,
    metrics: {
      enabled: true,
      thresholds: options,
      seconds: report.seconds,
      samples: report.samples,
      globalNorm: finiteOrNull(report.globalNorm),
      medianDistance: finiteOrNull(report.medianDistance),
      relativeRulesApplied: report.relativeRulesApplied,
      rejected,
      updates: results.map((r, k) => {
        const u = report.updates[k]!;
        return {
          clientId: r.clientId,
          distance: finiteOrNull(u.distance),
          distanceToGlobalNorm: finiteOrNull(u.distanceToGlobalNorm),
          distanceRatio: finiteOrNull(u.distanceRatio),
          distanceZ: finiteOrNull(u.distanceZ),
          agreement: finiteOrNull(u.agreement),
          finiteOutputs: u.finiteOutputs,
          rejected: u.rejection?.rule ?? null,
        };
      }),
    },
  };
}

/** Round metrics are JSON: a measurement that does not exist (NaN: no peers to agree with, a zero norm) is recorded as null. */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** The clients' summaries; a client that sent none counts as uniform (fusion normalises each parent's scores per layer). */
function clientImportances(results: readonly FitResult[]): AttributionSummary[] | null {
  if (results.every((r) => r.attribution === null)) return null;
  return results.map((r) => r.attribution ?? uniformSummary(r.network.spec));
}
