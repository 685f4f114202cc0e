import type { TrainingConfig } from '../../common/wire/index.ts';
import type { DistillationOptions } from '../distillation/index.ts';
import type { ServerImportance } from '../fusion/index.ts';
import { sampleClients, type SamplingOptions } from '../rounds/client-sampling.ts';
import type { AggregateOutcome, Strategy } from '../rounds/strategy.ts';
import { resolveScreeningOptions, type ScreeningOptions } from '../screening/index.ts';
import type { NeuronFusionSettings } from './aggregation-jobs.ts';
import { aggregatorPlan, HETEROGENEOUS_AGGREGATORS, DEFAULT_FEDPROX_MU, DEFAULT_START_MODEL_PARENT, DEFAULT_TRAIN_FROM, effectiveTrainFrom, type AggregatorName, type TrainFrom } from './aggregators.ts';
import type { FusionExecutor } from './fusion-executor.ts';
import { computeRoundModels, unusableUpdates } from './round-models.ts';
import { scaffoldTaskRecords, zerosLike } from './scaffold-control-variates.ts';
import { screenResults, type ScreenedOutUpdate } from './screen-results.ts';
import { checkClientWidths, isHeterogeneous, reducedWidths, taskModelAtWidth, widthForCapacity, widthOfClient } from './client-widths.ts';
import { hiddenWidthsAtFraction } from '../../common/model/width-fractions.ts';
import { layerWidths } from '../../common/model/spec.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import type { Network } from '../../common/model/network.ts';
import { EMPTY_RECORDS } from '../../common/records/index.ts';
import type { FitResult, GlobalState } from '../rounds/strategy.ts';

export type { ScreenedOutUpdate } from './screen-results.ts';

/** Where neuron importances come from: the clients' attribution summaries, or the server's own calibration pass. */
export type ImportanceSource = 'client' | ServerImportance;

export interface FusionStrategyOptions {
  readonly aggregator: AggregatorName;
  readonly importance: ImportanceSource;
  readonly training: TrainingConfig;
  readonly sampling: SamplingOptions;
  readonly seed: number;
  /** Screening of the updates before fusion; on with DEFAULT_SCREENING_OPTIONS when absent. */
  readonly screening?: Partial<ScreeningOptions>;
  /** Settings of kf-linear and hf; default 'federated' (aggregation-jobs.ts). */
  readonly neuronFusion?: NeuronFusionSettings;
  /** kf-linear, kf-gradient, hf: the model the next round trains from; default DEFAULT_TRAIN_FROM (aggregators.ts). */
  readonly trainFrom?: TrainFrom;
  /** feddf: the distillation's settings; default DEFAULT_DISTILLATION_OPTIONS (server/distillation). */
  readonly distillation?: Partial<DistillationOptions>;
  /** kf-linear: fuse the round's starting model as one more parent from round 2 on; default DEFAULT_START_MODEL_PARENT. */
  readonly startModelParent?: boolean;
  /**
   * Heterogeneous clients: the fractions of the global width clients train,
   * dealt by client id (client-widths.ts); absent = all at the global width.
   * Below 1 only with kf-linear, kf-gradient and heterofl.
   */
  readonly clientWidths?: readonly number[];
}

/**
 * The server's strategy for every aggregator of aggregators.ts: sample
 * clients, have them train (from the round's training model, with the
 * aggregator's per-client records), screen their updates and compute the
 * round's models from those that pass (round-models.ts: the fusion worker
 * for fusion, averages, distillation and prior matching; SCAFFOLD's control
 * variates and FedNova's normalised average as pure functions here), and
 * evaluate on the server's test set. Screened-out updates stay in the store
 * (the orchestrator stored them on arrival) and are listed with their
 * reasons in the round's metrics. This is orchestration only.
 */
export function createFusionStrategy(options: FusionStrategyOptions, executor: FusionExecutor): Strategy {
  const screening = resolveScreeningOptions(options.screening);
  const plan = aggregatorPlan(options.aggregator);
  const clientWidths = options.clientWidths === undefined ? null : options.clientWidths;
  if (clientWidths !== null) checkClientWidths(clientWidths);
  const heterogeneous = clientWidths !== null && isHeterogeneous(clientWidths) ? clientWidths : null;
  if (heterogeneous !== null && !(HETEROGENEOUS_AGGREGATORS as readonly string[]).includes(options.aggregator)) {
    throw new FedfuseError('invalid_argument', `clientWidths below 1 need the aggregator ${HETEROGENEOUS_AGGREGATORS.join(', ')}, not ${options.aggregator}`);
  }
  // Heterogeneous runs too: 'average' is then HeteroFL's average of the updates of every width (FedAvg's at full
  // width), and each client trains its static sub-network of it (round-models.ts).
  const trainFrom = effectiveTrainFrom(plan, options.trainFrom ?? DEFAULT_TRAIN_FROM);
  /** Each committed state's task models by width, built once (clientModel is pure: the same state gives the same models). */
  const taskModels = new WeakMap<GlobalState, Map<number, Network>>();
  const taskModel = (state: GlobalState, fraction: number): Network => {
    let byWidth = taskModels.get(state);
    if (byWidth === undefined) taskModels.set(state, (byWidth = new Map()));
    let model = byWidth.get(fraction);
    if (model === undefined) {
      model = taskModelAtWidth(state.training, plan.subNetworks ? EMPTY_RECORDS : state.strategyState, fraction);
      byWidth.set(fraction, model);
    }
    return model;
  };
  const training: TrainingConfig =
    plan.proximal && !(options.training.proximalMu > 0) ? { ...options.training, proximalMu: DEFAULT_FEDPROX_MU } : options.training;
  /** Per round being aggregated, the clients whose updates were fused: evaluate() compares the model with their ensemble only. */
  const fusedClients = new Map<number, ReadonlySet<string>>();
  const strategy: Strategy = {
    name: options.aggregator,
    configureFit(_round, available, rng) {
      return { clientIds: sampleClients(available, options.sampling, rng) };
    },
    trainingConfig() {
      return training;
    },
    async aggregateFit(round, state, received) {
      const started = performance.now();
      // Updates are screened against the model their clients started from.
      const screened = !screening.enabled
        ? null
        : heterogeneous === null
          ? await screenResults(executor, received, state.training, screening)
          : await screenByWidth(executor, received, (r) => taskModel(state, fractionOfUpdate(r, state, heterogeneous)), screening);
      const unusable = unusableUpdates(plan, screened?.kept ?? received, state.training.spec);
      const results = (screened?.kept ?? received).filter((r) => !unusable.some((u) => u.clientId === r.clientId));
      const excluded = [
        ...(screened?.rejected ?? []).map((r) => ({ clientId: r.clientId, reason: `screened out (${r.rule}): ${r.reason}` })),
        ...unusable,
      ];
      const baseMetrics = { requestedAggregator: options.aggregator, screening: screened?.metrics ?? { enabled: false } };
      if (results.length === 0) {
        // Aggregating nothing would silently re-broadcast the old model: the round fails instead, saying why.
        const why = [...(screened?.rejected ?? []), ...unusable].map((r) => `${r.clientId}: ${r.reason}`);
        const what = screened !== null && screened.kept.length === 0 ? `screening rejected all ${received.length} updates` : `none of the ${received.length} updates can be used`;
        return {
          served: null,
          aggregator: options.aggregator,
          fusionSeconds: 0,
          reason: `${what} (${why.slice(0, 5).join('; ')}${why.length > 5 ? `; and ${why.length - 5} more` : ''})`,
          metrics: baseMetrics,
        };
      }
      const models = await computeRoundModels(
        executor,
        {
          plan,
          importance: options.importance,
          neuronFusion: options.neuronFusion ?? 'federated',
          trainFrom,
          distillation: options.distillation ?? {},
          seed: options.seed,
          startModelParent: options.startModelParent ?? DEFAULT_START_MODEL_PARENT,
          clientWidths: heterogeneous,
        },
        round,
        state,
        results,
      );
      fusedClients.set(round, new Set(results.map((r) => r.clientId)));
      const outcome: AggregateOutcome = {
        served: models.served,
        training: models.training,
        ...(models.strategyState !== undefined ? { strategyState: models.strategyState } : {}),
        aggregator: aggregatorLabel(options.aggregator, models.method),
        fusionSeconds: models.fusionSeconds,
        excluded,
        metrics: { ...baseMetrics, ...models.metrics, wallSeconds: (performance.now() - started) / 1000 },
      };
      return outcome;
    },
    async evaluate(round, models, received) {
      const fused = fusedClients.get(round);
      fusedClients.delete(round);
      const results = fused === undefined ? received : received.filter((r) => fused.has(r.clientId));
      const evaluation = await executor.evaluate(models.served, results.map((r) => r.network));
      if (evaluation === null) return { evaluations: [], metrics: {} };
      // A separate training model is evaluated too: how far the clients' trajectory is from what is served.
      const training = models.training === null ? null : await executor.evaluate(models.training, []);
      const trainingModel = training === null ? {} : { trainingModelAccuracy: training.accuracy, trainingModelLoss: training.loss };
      return {
        evaluations: [
          { dataset: evaluation.dataset, accuracy: evaluation.accuracy, loss: evaluation.loss, samples: evaluation.samples, extra: { ensembleAccuracy: evaluation.ensembleAccuracy, ...trainingModel } },
        ],
        metrics: { ensembleAccuracy: evaluation.ensembleAccuracy, ...trainingModel },
      };
    },
  };
  if (heterogeneous !== null) {
    strategy.clientModel = (_round, state, client) => taskModel(state, widthOfClient(client.clientId, heterogeneous, client.widthCapacity ?? null));
  }
  // A declared capacity no width of the run fits is refused at hello, not when a task is built.
  strategy.checkHello = (hello) => {
    if (hello.widthCapacity !== null) widthForCapacity(heterogeneous ?? [], hello.widthCapacity);
  };
  if (plan.controlVariates) {
    strategy.clientRecords = (_round, state, client) => scaffoldTaskRecords(state.strategyState, client.lastFused?.records ?? null, () => zerosLike(state.training));
  }
  return strategy;
}

/**
 * What the round record names as its aggregator: the fusion method for the
 * neuron fusions and plain means (as before: hf with other than two clients
 * is recorded as kf-linear), the aggregator's own name for the baselines
 * built on an average.
 */
function aggregatorLabel(name: AggregatorName, method: string): string {
  return name === 'kf-linear' || name === 'kf-gradient' || name === 'hf' || name === 'fedavg' || name === 'average' ? method : name;
}

/**
 * Screening of a heterogeneous round: each width's updates against the model
 * their clients started from (their task model), as a group of their own
 * (the distance rules compare updates of one shape).
 */
async function screenByWidth(
  executor: FusionExecutor,
  results: readonly FitResult[],
  startedFrom: (r: FitResult) => Network,
  options: ScreeningOptions,
): Promise<{ kept: FitResult[]; rejected: ScreenedOutUpdate[]; metrics: Record<string, unknown> }> {
  const groups = new Map<Network, FitResult[]>();
  for (const r of results) {
    const start = startedFrom(r);
    groups.set(start, [...(groups.get(start) ?? []), r]);
  }
  const kept: FitResult[] = [];
  const rejected: ScreenedOutUpdate[] = [];
  const byWidth: Record<string, unknown>[] = [];
  for (const [start, group] of groups) {
    const screened = await screenResults(executor, group, start, options);
    kept.push(...screened.kept);
    rejected.push(...screened.rejected);
    byWidth.push({ clients: group.map((r) => r.clientId), ...screened.metrics });
  }
  // In the order received, as a homogeneous round's kept updates are.
  return { kept: results.filter((r) => kept.includes(r)), rejected, metrics: { enabled: true, rejected, byWidth } };
}

/**
 * The width fraction an update was trained at, from its own hidden widths
 * (the admission made them its task's): what a client declared at hello
 * need not be known again after a restart.
 */
function fractionOfUpdate(r: FitResult, state: GlobalState, widths: readonly number[]): number {
  const own = JSON.stringify(layerWidths(r.network.spec).slice(0, -1));
  for (const fraction of [1, ...reducedWidths(widths)]) {
    if (JSON.stringify(hiddenWidthsAtFraction(state.training.spec, fraction)) === own) return fraction;
  }
  return widthOfClient(r.clientId, widths);
}
