import { uniformSummary, type AttributionSummary } from '../../common/attribution/summary.ts';
import type { Network } from '../../common/model/network.ts';
import { recordDict, type RecordDict } from '../../common/records/index.ts';
import { layerWidths } from '../../common/model/spec.ts';
import { hiddenWidthsAtFraction } from '../../common/model/width-fractions.ts';
import { reducedWidths, taskModelRecord, taskModelRecordName } from './client-widths.ts';
import type { DistillationOptions } from '../distillation/index.ts';
import { heteroFLAverage, isNeuronFusionMethod, type FusionMethod } from '../fusion/index.ts';
import type { FitFailure, FitResult, GlobalState } from '../rounds/strategy.ts';
import type { NeuronFusionSettings } from './aggregation-jobs.ts';
import type { AggregatorPlan, TrainFrom } from './aggregators.ts';
import { fedNovaAverage } from './fednova-average.ts';
import type { FusionExecutor } from './fusion-executor.ts';
import { clientVariate, readScaffoldState, scaffoldState, updateServerVariate, zerosLike } from './scaffold-control-variates.ts';
import type { ImportanceSource } from './fusion-strategy.ts';

/** What the models of a round need besides the updates. */
export interface RoundModelsContext {
  readonly plan: AggregatorPlan;
  readonly importance: ImportanceSource;
  readonly neuronFusion: NeuronFusionSettings;
  readonly trainFrom: TrainFrom;
  readonly distillation: Partial<DistillationOptions>;
  readonly seed: number;
  /** kf-linear with the federated settings: fuse the round's starting model too (from round 2: round 1 starts from an untrained model). */
  readonly startModelParent: boolean;
  /** --client-widths when some width is below 1 (heterogeneous clients); null = every client at the global width. */
  readonly clientWidths: readonly number[] | null;
}

/** A round's models as the strategy returns them, with what made them. */
export interface ComputedModels {
  readonly served: Network;
  readonly training: Network | null;
  /** Absent = the previous state, unchanged. */
  readonly strategyState?: RecordDict;
  /** What actually fused (hf with other than 2 clients runs kf-linear). */
  readonly method: FusionMethod;
  readonly fusionSeconds: number;
  readonly metrics: Record<string, unknown>;
}

/**
 * Updates an aggregator cannot use: SCAFFOLD needs the client's new control
 * variate, FedNova its step count. Left out of the round like screened-out
 * updates (failures with the reason), not fused with made-up values.
 */
export function unusableUpdates(plan: AggregatorPlan, results: readonly FitResult[], spec: Network['spec']): FitFailure[] {
  const failures: FitFailure[] = [];
  for (const r of results) {
    if (plan.controlVariates && clientVariate(r.records, spec, `control variate of ${r.clientId}`) === null) {
      failures.push({ clientId: r.clientId, reason: 'SCAFFOLD: the update carries no control variate (records "scaffold.c_i")' });
    } else if (plan.normalisedByLocalSteps && r.localSteps <= 0) {
      failures.push({ clientId: r.clientId, reason: 'FedNova: the update reports no local step count' });
    }
  }
  return failures;
}

/** The served and training models (and strategy state) of a round from the updates kept for it. */
export async function computeRoundModels(executor: FusionExecutor, ctx: RoundModelsContext, round: number, state: GlobalState, results: readonly FitResult[]): Promise<ComputedModels> {
  const { plan } = ctx;
  if (plan.normalisedByLocalSteps) {
    const started = performance.now();
    const served = fedNovaAverage(state.training, results.map((r) => r.network), results.map((r) => r.numExamples), results.map((r) => r.localSteps));
    return { served, training: null, method: 'fedavg', fusionSeconds: (performance.now() - started) / 1000, metrics: { localSteps: results.map((r) => r.localSteps) } };
  }
  if (plan.subNetworks) {
    const started = performance.now();
    const served = heteroFLAverageOf(state, results);
    return { served, training: null, method: 'fedavg', fusionSeconds: (performance.now() - started) / 1000, metrics: { widths: clientWidthMetrics(results) } };
  }
  // HF is defined for exactly two parents; with another count the round still gets a model, from KF-linear.
  const method: FusionMethod = plan.method === 'hf' && results.length !== 2 ? 'kf-linear' : plan.method;
  const neuron = isNeuronFusionMethod(method);
  const importances = neuron && ctx.importance === 'client' ? clientImportances(results) : null;
  // Label histograms are the best class evidence (docs/benchmarks.md, Label skew), but only when every
  // fused client shared one: mixing counts with estimates would weigh clients on different scales.
  const histograms = results.every((r) => r.labelHistogram !== null) ? results.map((r) => r.labelHistogram!) : null;
  // Heterogeneous: every fused neuron needs a parent neuron, so when the updates have fewer neurons than the
  // global width at some level (round 1 with only small clients, say), the round's starting model joins them.
  const tooFewNeurons = ctx.clientWidths !== null && neuron && hasFewerNeuronsThan(results.map((r) => r.network), state.training);
  const startModel = (ctx.startModelParent && method === 'kf-linear' && ctx.neuronFusion === 'federated' && round > 1) || tooFewNeurons;
  const response = await executor.aggregate({
    method,
    parents: results.map((r) => r.network),
    importances,
    importance: ctx.importance === 'client' ? 'uniform' : ctx.importance,
    numExamples: results.map((r) => r.numExamples),
    seed: ctx.seed * 7919 + round,
    neuronFusion: ctx.neuronFusion,
    ...(histograms !== null ? { classEvidence: histograms } : {}),
    ...(plan.distill ? { distillation: { seed: ctx.seed * 7919 + round, ...ctx.distillation } } : {}),
    ...(plan.servedPriorMatching ? { servedPrior: 'uniform' as const } : {}),
    // Updates of several widths have no FedAvg average: the heterogeneous training model is built below.
    ...(ctx.trainFrom === 'average' && ctx.clientWidths === null ? { trainFrom: 'average' as const } : {}),
    ...(startModel ? { startModel: state.training } : {}),
    // Parents of several widths: the global model keeps the global width (the default would be parent 0's).
    ...(ctx.clientWidths !== null ? { targetHiddenWidths: layerWidths(state.training.spec).slice(0, -1) } : {}),
  });
  const { report } = response;
  const metrics: Record<string, unknown> = {
    importance: report.importance,
    levels: report.levels.map((l) => ({ layer: l.weightedLayer, width: l.width, grouping: l.grouping, fit: l.targetFitRelativeError, seconds: l.seconds.total })),
    trainFrom: ctx.trainFrom,
    ...(method === 'kf-linear' || tooFewNeurons ? { startModelParent: startModel } : {}),
    ...(neuron
      ? {
          neuronFusion: ctx.neuronFusion,
          ...(ctx.neuronFusion === 'federated' ? { classEvidence: histograms !== null ? 'label-histograms' : importances !== null ? 'client-attribution' : 'server-estimate' } : {}),
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
    ...(response.priorMatching === null ? {} : { servedPriorMatching: { biasShift: response.priorMatching.biasShift, gapBefore: response.priorMatching.gapBefore, gapAfter: response.priorMatching.gapAfter } }),
    ...(response.distillation === null ? {} : { distillation: response.distillation }),
  };
  const fusionSeconds = report.totalSeconds + (response.distillation?.seconds ?? 0);
  if (ctx.clientWidths !== null && ctx.trainFrom === 'average') {
    // Serve the fusion, train from the average, as at one width (docs/federated-fusion.md, The round design):
    // the training model is HeteroFL's average of the updates over the start model, and every client's task its
    // static sub-network, cut from the stored training model (nothing else to store: a restarted server cuts the
    // same tasks). Measured in docs/benchmarks.md, Heterogeneous widths: the fused-down design declined after
    // round 3 as every design that trains from the served model did.
    const started = performance.now();
    const training = heteroFLAverageOf(state, results);
    return {
      served: response.network,
      training,
      strategyState: recordDict(),
      method,
      fusionSeconds: fusionSeconds + (performance.now() - started) / 1000,
      metrics: { ...metrics, widths: clientWidthMetrics(results) },
    };
  }
  if (ctx.clientWidths !== null) {
    const down = await fuseDownToWidths(executor, response.network, ctx.clientWidths, ctx.seed * 7919 + round);
    return {
      served: response.network,
      training: null,
      strategyState: down.state,
      method,
      fusionSeconds: fusionSeconds + down.seconds,
      metrics: { ...metrics, widths: clientWidthMetrics(results), fusedDown: down.metrics },
    };
  }
  if (!plan.controlVariates) return { served: response.network, training: response.training, method, fusionSeconds, metrics };

  const started = performance.now();
  const spec = state.training.spec;
  const zeros = (): Network => zerosLike(state.training);
  const previous = readScaffoldState(state.strategyState, spec, zeros);
  const updated = updateServerVariate(
    previous.c,
    previous.clientsSeen,
    results.map((r) => ({ previous: clientVariate(r.taskRecords, spec, `c_i sent to ${r.clientId}`), next: clientVariate(r.records, spec, `c_i+ of ${r.clientId}`)! })),
  );
  return {
    served: response.network,
    training: response.training,
    strategyState: scaffoldState(updated.c, updated.clientsSeen),
    method,
    fusionSeconds: fusionSeconds + (performance.now() - started) / 1000,
    metrics: { ...metrics, scaffold: { clientsSeen: updated.clientsSeen, newClients: updated.clientsSeen - previous.clientsSeen } },
  };
}

/** The clients' summaries; a client that sent none counts as uniform (fusion normalises each parent's scores per layer). */
function clientImportances(results: readonly FitResult[]): AttributionSummary[] | null {
  if (results.every((r) => r.attribution === null)) return null;
  return results.map((r) => r.attribution ?? uniformSummary(r.network.spec));
}

/** HeteroFL's average of the round's updates over the model their clients started from (the heterofl arm's served model, a heterogeneous kf-linear run's training model). */
function heteroFLAverageOf(state: GlobalState, results: readonly FitResult[]): Network {
  return heteroFLAverage(state.training, results.map((r) => r.network), results.map((r) => r.numExamples));
}

/** Which hidden widths the round's updates had, per client: what a heterogeneous round fused. */
function clientWidthMetrics(results: readonly FitResult[]): Record<string, number[]> {
  return Object.fromEntries(results.map((r) => [r.clientId, layerWidths(r.network.spec).slice(0, -1)]));
}

/**
 * Heterogeneous kf-linear: the round's fused global model fused *down* to
 * each client width below 1 (KF-linear, one parent, the target widths
 * ceil(p · width) of every hidden level), on the calibration set in the
 * fusion worker. The models go into the strategy state, so they are stored
 * in the round's commit with the global model and a restarted server sends
 * exactly the tasks it sent before (deriving them again would be a second
 * fusion per width at start-up, off the task path's synchronous code).
 */
async function fuseDownToWidths(
  executor: FusionExecutor,
  global: Network,
  widths: readonly number[],
  seed: number,
): Promise<{ state: RecordDict; seconds: number; metrics: Record<string, unknown> }> {
  const arrays: Record<string, ReturnType<typeof taskModelRecord>> = {};
  const metrics: Record<string, unknown> = {};
  let seconds = 0;
  for (const fraction of reducedWidths(widths)) {
    const target = hiddenWidthsAtFraction(global.spec, fraction);
    const response = await executor.aggregate({
      method: 'kf-linear',
      parents: [global],
      importances: null,
      importance: 'uniform',
      numExamples: [1],
      seed,
      neuronFusion: 'federated',
      targetHiddenWidths: target,
    });
    arrays[taskModelRecordName(fraction)] = taskModelRecord(response.network);
    seconds += response.report.totalSeconds;
    metrics[String(fraction)] = { widths: target, seconds: response.report.totalSeconds, fit: response.report.levels.map((l) => l.targetFitRelativeError) };
  }
  return { state: recordDict(arrays), seconds, metrics };
}

/** Whether the parents hold fewer neurons than `global` at some hidden level (a fusion into its width needs one per fused neuron). */
function hasFewerNeuronsThan(parents: readonly Network[], global: Network): boolean {
  const target = layerWidths(global.spec).slice(0, -1);
  return target.some((w, l) => parents.reduce((s, p) => s + layerWidths(p.spec)[l]!, 0) < w);
}
