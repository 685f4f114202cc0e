import path from 'node:path';
import { initNetwork, saveNetwork, type ModelSpec } from '../../common/model/index.ts';
import { describeEvent, resolveSimulationOptions, runSimulation, type RawSimulationOptions, type SimulationResults } from '../../server/simulation/index.ts';
import type { BenchExperiment } from './federated-tables.ts';

/**
 * One federated run per model through the real round engine (what
 * `fedfuse simulate --model dir/model.json` runs): the model is written as a
 * TF.js Layers model.json (its weights are round 0 for every arm), then
 * kf-linear, fedavg and fedavg-prior run one after the other on the same
 * partitions, seed and initial model.
 */
export const FEDERATED_ARMS = ['kf-linear:uniform', 'fedavg', 'fedavg-prior'] as const;

export interface BnFederatedSettings {
  readonly rounds: number;
  readonly clients: number;
  readonly clientSamples: number;
  readonly localEpochs: number;
  readonly seed: number;
}

export interface BnFederatedRun {
  readonly experiment: BenchExperiment;
  readonly results: SimulationResults;
  readonly seconds: number;
}

export async function runBnFederated(
  name: string,
  title: string,
  spec: ModelSpec,
  settings: BnFederatedSettings,
  outDir: string,
  log: (line: string) => void,
): Promise<BnFederatedRun> {
  const modelDir = path.join(outDir, name, 'initial-model');
  await saveNetwork(initNetwork(spec, 7919 + settings.seed), modelDir);
  const options: RawSimulationOptions = {
    dataset: 'fashion-mnist',
    model: path.join(modelDir, 'model.json'),
    partition: 'dirichlet:0.1',
    clients: String(settings.clients),
    rounds: String(settings.rounds),
    localEpochs: String(settings.localEpochs),
    clientSamples: String(settings.clientSamples),
    calibration: '400',
    testSize: '2000',
    seeds: String(settings.seed),
    aggregator: [...FEDERATED_ARMS],
    out: path.join(outDir, name),
    csv: path.join(outDir, name, 'rounds.csv'),
    discardDb: true,
  };
  const experiment: BenchExperiment = { id: name, group: 'cnn', title, partition: 'dirichlet:0.1', model: `${name} (model.json)`, options };
  const started = performance.now();
  const results = await runSimulation(resolveSimulationOptions(options), (ev) => {
    const line = describeEvent(ev, true);
    if (line !== null) log(`  [${name}] ${line}`);
  });
  return { experiment, results, seconds: (performance.now() - started) / 1000 };
}
