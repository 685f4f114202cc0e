import * as tf from '@tensorflow/tfjs';
import { computeAttribution, type AttributionOptions } from '../../common/attribution/index.ts';
import { mlpSpec } from '../../common/model/index.ts';
import { CONDUCTANCE_STEPS } from './fusion-cases.ts';
import { markdownTable, secs } from './markdown-table.ts';
import { mnistProtocol, splitByK } from './mnist-protocol.ts';
import { trainParents, type TrainingSettings } from './parent-training.ts';
import { MLP_HIDDEN } from './protocol-runs.ts';
import { median } from './stats.ts';

/**
 * What one client pays to compute its attribution summary: an MLP 784-256-10
 * trained on its split-by-2 share, scored on exactly `samples` of its own
 * training digits. One untimed warm-up per method, then `reps` timed runs.
 * (scripts/bench-attribution.ts times the same on random weights.)
 */
export interface AttributionSpeed {
  readonly method: string;
  readonly samples: number;
  readonly seconds: number[];
  readonly median: number;
  readonly min: number;
  /** Target from the attribution issue, seconds (null when none). */
  readonly target: number | null;
  readonly tensorsLeaked: number;
}

const CASES: readonly { label: string; options: AttributionOptions; target: number | null }[] = [
  { label: `conductance (${CONDUCTANCE_STEPS} steps)`, options: { method: 'conductance', steps: CONDUCTANCE_STEPS }, target: 3 },
  { label: 'grad-x-act', options: { method: 'grad-x-act' }, target: 0.5 },
  { label: 'ablation', options: { method: 'ablation' }, target: null },
  { label: 'activation', options: { method: 'activation' }, target: null },
];

export async function attributionSpeed(seed: number, training: TrainingSettings, samples: number, reps: number): Promise<AttributionSpeed[]> {
  const data = mnistProtocol(seed);
  const client = splitByK(data, 2)[0]!;
  const { parents } = await trainParents(mlpSpec(784, [MLP_HIDDEN], 10), [client], 'independent', seed, training);
  const net = parents[0]!;
  const out: AttributionSpeed[] = [];
  for (const c of CASES) {
    const options = { ...c.options, maxSamples: samples };
    await computeAttribution(net, client, options);
    const before = tf.memory().numTensors;
    const seconds: number[] = [];
    let used = 0;
    for (let r = 0; r < reps; r++) {
      const started = performance.now();
      used = (await computeAttribution(net, client, options)).samplesUsed;
      seconds.push((performance.now() - started) / 1000);
    }
    out.push({ method: c.label, samples: used, seconds, median: median(seconds), min: Math.min(...seconds), target: c.target, tensorsLeaked: tf.memory().numTensors - before });
  }
  return out;
}

export function attributionSpeedTable(rows: readonly AttributionSpeed[]): string {
  return markdownTable(
    ['method', 'samples', 'median s', 'min s', 'target s', 'met'],
    rows.map((r) => [r.method, String(r.samples), secs(r.median), secs(r.min), r.target === null ? '–' : secs(r.target), r.target === null ? '' : r.median <= r.target ? 'yes' : 'no']),
  );
}
