import type { Dataset } from '../../common/data/index.ts';
import { mlpSpec, type ModelSpec } from '../../common/model/index.ts';
import { applies, runMethodCase, type MethodCase, type MethodResult } from './fusion-cases.ts';
import { accuracy, ensembleAccuracy } from './model-accuracy.ts';
import { mnistProtocol, splitByK, type ProtocolData } from './mnist-protocol.ts';
import { trainParents, type ParentInit, type TrainingSettings } from './parent-training.ts';

/**
 * One cell of the paper-protocol experiments: k MLPs 784-256-10 trained on
 * split-by-k shares of the embedded MNIST (independently initialised, or from
 * one common initial model as in a federated round), then every method case
 * fused on the 400 calibration samples and scored on the 2,000 test digits.
 */
export interface ProtocolVariant {
  /** Name in tables and JSON, e.g. 'independent' or 'common init, E = 5'. */
  readonly name: string;
  readonly init: ParentInit;
  readonly training: TrainingSettings;
}

export interface ProtocolRun {
  readonly variant: string;
  readonly seed: number;
  readonly k: number;
  readonly clientSizes: number[];
  readonly trainSeconds: number;
  readonly parentAccuracies: number[];
  readonly ensemble: number;
  readonly methods: MethodResult[];
}

export const MLP_HIDDEN = 256;
export const ATTRIBUTION_SAMPLES = 1000;

export async function runProtocolCell(
  variant: ProtocolVariant,
  seed: number,
  k: number,
  cases: readonly MethodCase[],
  log: (line: string) => void,
): Promise<ProtocolRun> {
  const data = mnistProtocol(seed);
  return runProtocolOn(mlpSpec(784, [MLP_HIDDEN], 10), data, splitByK(data, k), variant, seed, cases, log);
}

/** The same cell for any model and protocol data: the parents trained on `clients`, every case fused on the calibration set and scored on the test set. */
export async function runProtocolOn(
  spec: ModelSpec,
  data: ProtocolData,
  clients: readonly Dataset[],
  variant: ProtocolVariant,
  seed: number,
  cases: readonly MethodCase[],
  log: (line: string) => void,
): Promise<ProtocolRun> {
  const k = clients.length;
  const { parents, trainSeconds } = await trainParents(spec, clients, variant.init, seed, variant.training);
  const parentAccuracies: number[] = [];
  for (const p of parents) parentAccuracies.push(await accuracy(p, data.test));
  const ensemble = await ensembleAccuracy(parents, data.test);
  log(`  [${variant.name}] seed ${seed}, k = ${k}: trained in ${trainSeconds.toFixed(1)} s; parents ${parentAccuracies.map((a) => (100 * a).toFixed(1)).join(' ')}; ensemble ${(100 * ensemble).toFixed(1)}`);
  const methods: MethodResult[] = [];
  for (const c of cases.filter((x) => applies(x, k))) {
    const result = await runMethodCase(c, {
      parents,
      clients,
      calibration: data.calibration.images,
      test: data.test,
      seed,
      attributionSamples: ATTRIBUTION_SAMPLES,
    });
    methods.push(result);
    log(`    ${c.label}: ${(100 * result.accuracy).toFixed(1)}% in ${result.fusionSeconds.toFixed(2)} s`);
  }
  return { variant: variant.name, seed, k, clientSizes: clients.map((c) => c.count), trainSeconds, parentAccuracies, ensemble, methods };
}
