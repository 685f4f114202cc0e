import { computeAttribution, type AttributionSummary, type LabelledSamples } from '../common/attribution/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { trainNetwork } from '../common/training/index.ts';
import type { ClientUpdate, RoundTask, TrainingMetrics } from '../common/wire/index.ts';

/**
 * What a client does with a task: train the global model on its own data as
 * the task says, then score its neurons on (a seeded sample of) the same
 * data, so the server can weigh the fusion without ever seeing a label.
 */
export async function computeLocalUpdate(task: RoundTask, clientId: string, data: LabelledSamples, seed: number): Promise<ClientUpdate> {
  const roundSeed = seed * 1_000_003 + task.round;
  const trained = await trainNetwork(task.model, data, {
    epochs: task.training.epochs,
    batchSize: task.training.batchSize,
    learningRate: task.training.learningRate,
    optimizer: task.training.optimizer,
    proximalMu: task.training.proximalMu,
    seed: roundSeed,
  });
  const attributionStarted = performance.now();
  let attribution: AttributionSummary | null = null;
  if (task.training.attributionMethod !== 'uniform') {
    attribution = await computeAttribution(trained.network, attributionSample(data, task.training.attributionSamples, roundSeed), {
      method: task.training.attributionMethod,
    });
  }
  const metrics: TrainingMetrics = {
    loss: trained.metrics.loss,
    accuracy: trained.metrics.accuracy,
    trainSeconds: trained.metrics.seconds,
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
  };
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
