import { computeAttribution, type AttributionSummary, type LabelledSamples } from '../common/attribution/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { EMPTY_RECORDS } from '../common/records/index.ts';
import { scaffoldStep } from './scaffold-client.ts';
import { trainNetwork } from '../common/training/index.ts';
import type { EpochMetrics } from '../common/training/index.ts';
import type { ClientUpdate, RoundTask, TrainingMetrics } from '../common/wire/index.ts';

/** Progress of a local update, for a display (the browser client's page). */
export interface LocalUpdateHooks {
  /** After each local epoch (0-based) of `epochs`. */
  readonly onEpochEnd?: (epoch: number, epochs: number, metrics: EpochMetrics) => void;
  /** Training is over; attribution starts (not called when the task asks for none). */
  readonly onAttribution?: () => void;
}

/**
 * What a client does with a task: train the task's model (the round's
 * training model) on its own data as the task says, then score its neurons
 * on (a seeded sample of) the same data, so the server can weigh the fusion
 * without ever seeing a label. The task's records go into the training and
 * the records the aggregator asked for come back with the update.
 */
export async function computeLocalUpdate(task: RoundTask, clientId: string, data: LabelledSamples, seed: number, hooks: LocalUpdateHooks = {}): Promise<ClientUpdate> {
  const roundSeed = seed * 1_000_003 + task.round;
  const scaffold = scaffoldStep(task.model, task.records, data);
  // SCAFFOLD's c_i+ is a gradient at the received model: computed before training, from the task's model.
  const scaffoldStarted = performance.now();
  const returned = scaffold === null ? EMPTY_RECORDS : await scaffold.returned();
  const scaffoldSeconds = (performance.now() - scaffoldStarted) / 1000;
  const trained = await trainNetwork(task.model, data, {
    epochs: task.training.epochs,
    batchSize: task.training.batchSize,
    learningRate: task.training.learningRate,
    optimizer: task.training.optimizer,
    proximalMu: task.training.proximalMu,
    seed: roundSeed,
    ...(scaffold === null ? {} : { gradientCorrection: scaffold.gradientCorrection }),
    ...(hooks.onEpochEnd ? { onEpochEnd: (epoch: number, m: EpochMetrics) => hooks.onEpochEnd!(epoch, task.training.epochs, m) } : {}),
  });
  const attributionStarted = performance.now();
  let attribution: AttributionSummary | null = null;
  if (task.training.attributionMethod !== 'uniform') {
    hooks.onAttribution?.();
    attribution = await computeAttribution(trained.network, attributionSample(data, task.training.attributionSamples, roundSeed), {
      method: task.training.attributionMethod,
    });
  }
  const metrics: TrainingMetrics = {
    loss: trained.metrics.loss,
    accuracy: trained.metrics.accuracy,
    // The extra gradient pass of SCAFFOLD is part of the client's training work.
    trainSeconds: trained.metrics.seconds + scaffoldSeconds,
    attributionSeconds: (performance.now() - attributionStarted) / 1000,
  };
  return {
    type: 'clientUpdate',
    runId: task.runId,
    round: task.round,
    clientId,
    model: trained.network,
    attribution,
    numExamples: data.count,
    metrics,
    records: returned,
    localSteps: localStepCount(data.count, task.training.epochs, task.training.batchSize),
  };
}

/** Optimizer steps of trainNetwork: one per mini-batch, the last one possibly short. */
export function localStepCount(samples: number, epochs: number, batchSize: number): number {
  return epochs * Math.ceil(samples / batchSize);
}

/** A seeded random subset of at most `limit` samples (0 or more than available: all). */
function attributionSample(data: LabelledSamples, limit: number, seed: number): LabelledSamples {
  if (limit <= 0 || limit >= data.count) return data;
  const features = data.images.length / data.count;
  const picked = new SeededRandom(seed).permutation(data.count).slice(0, limit);
  const images = new Float32Array(limit * features);
  const labels = new Int32Array(limit);
  picked.forEach((src, dst) => {
    images.set(data.images.subarray(src * features, (src + 1) * features), dst * features);
    labels[dst] = data.labels[src]!;
  });
  return { images, labels, count: limit };
}
