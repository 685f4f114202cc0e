import { subset } from '../../common/data/index.ts';
import { smallCnnSpec } from '../../common/model/index.ts';
import { applies, runMethodCase, SERVER_SIDE_CASES, type MethodResult } from './fusion-cases.ts';
import { markdownTable, pct, secs } from './markdown-table.ts';
import { accuracy, ensembleAccuracy } from './model-accuracy.ts';
import { mnistProtocol, splitByK } from './mnist-protocol.ts';
import { trainParents, type TrainingSettings } from './parent-training.ts';
import { ATTRIBUTION_SAMPLES } from './protocol-runs.ts';

/**
 * One CNN case: conv16-pool-conv32-pool-dense10 on 28x28x1 (smallCnnSpec),
 * k parents from independent initialisations on split-by-k, fused on the 400
 * calibration samples. Conv layers are fused on a deterministic subsample of
 * (sample, position) rows (the fusion's conv row budget).
 */
export const CNN_FILTERS = [16, 32] as const;

export interface CnnResult {
  readonly k: number;
  readonly epochs: number;
  /** Samples each client trained on (capped to keep CNN training affordable here). */
  readonly clientSizes: number[];
  readonly trainSeconds: number;
  readonly parentAccuracies: number[];
  readonly ensemble: number;
  readonly methods: MethodResult[];
}

export async function runCnnCase(k: number, seed: number, training: TrainingSettings, maxClientSamples: number, log: (l: string) => void): Promise<CnnResult> {
  const data = mnistProtocol(seed);
  const clients = splitByK(data, k).map((c) => (c.count <= maxClientSamples ? c : subset(c, Array.from({ length: maxClientSamples }, (_, i) => i), c.name)));
  const spec = smallCnnSpec([28, 28, 1], CNN_FILTERS, 10);
  const { parents, trainSeconds } = await trainParents(spec, clients, 'independent', seed, training);
  const parentAccuracies: number[] = [];
  for (const p of parents) parentAccuracies.push(await accuracy(p, data.test));
  const ensemble = await ensembleAccuracy(parents, data.test);
  log(`  CNN k = ${k}: trained in ${trainSeconds.toFixed(1)} s; parents ${parentAccuracies.map(pct).join(' ')}; ensemble ${pct(ensemble)}`);
  const methods: MethodResult[] = [];
  for (const c of SERVER_SIDE_CASES.filter((x) => applies(x, k))) {
    const r = await runMethodCase(c, { parents, clients, calibration: data.calibration.images, test: data.test, seed, attributionSamples: ATTRIBUTION_SAMPLES });
    log(`    ${c.label}: ${pct(r.accuracy)} in ${r.fusionSeconds.toFixed(2)} s`);
    methods.push(r);
  }
  return { k, epochs: training.epochs, clientSizes: clients.map((c) => c.count), trainSeconds, parentAccuracies, ensemble, methods };
}

export function cnnTable(r: CnnResult): string {
  const rows = [
    ['parents: mean (min–max)', `${pct(r.parentAccuracies.reduce((a, b) => a + b, 0) / r.parentAccuracies.length)} (${pct(Math.min(...r.parentAccuracies))}–${pct(Math.max(...r.parentAccuracies))})`, '', ''],
    ['ensemble (K forward passes)', pct(r.ensemble), '', ''],
    ...r.methods.map((m) => [m.label, pct(m.accuracy), secs(m.fusionSeconds), m.report.levelSeconds.length === 0 ? '' : m.report.levelSeconds.map(secs).join(' / ')]),
  ];
  return markdownTable(['', 'accuracy %', 'fusion s', 'per level s (conv1 / conv2 / dense)'], rows);
}
