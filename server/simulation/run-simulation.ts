import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { formatPartitionScheme, labelHistogram } from '../../common/data/index.ts';
import { initNetwork, parseArchitecture, type ModelSpec } from '../../common/model/index.ts';
import { createWorkerFusionExecutor, type FusionExecutor } from '../aggregation/index.ts';
import { mintClientToken } from '../auth/index.ts';
import { FEDFUSE_VERSION } from '../cli/version.ts';
import { openRoundStore, type RoundStore } from '../store/index.ts';
import { writeAccuracyPlot, type AccuracySeries } from './accuracy-plot.ts';
import { networkFingerprint, withCanonicalParentOrder } from './canonical-parent-order.ts';
import type { HostedClient } from './client-thread-protocol.ts';
import { assignClientsToThreads, ClientThreadPool } from './client-thread-pool.ts';
import { runAggregator, type RunContext } from './run-aggregator.ts';
import { clientShares, loadSimulationData, partitionFingerprint, splitSimulationData } from './simulation-data.ts';
import type { SimulationObserver } from './simulation-events.ts';
import { describeSimulationOptions, reproducingCommand, type SimulationOptions } from './simulation-options.ts';
import { readRunResult, RESULTS_FORMAT, RESULTS_VERSION, type RunResult, type SimulationResults } from './simulation-results.ts';

/** The seeds a simulation derives from `--seed`, each for one purpose, so the same seed gives the same experiment. */
export function simulationSeeds(seed: number): { split: number; initialModel: number; client: (index: number) => number } {
  return { split: seed, initialModel: seed * 7_919 + 1, client: (index) => seed * 100_003 + index + 1 };
}

/** `client-03` of 10: zero-padded so ids sort like their numbers. */
export function simulationClientId(index: number, clients: number): string {
  return `client-${String(index).padStart(String(clients - 1).length, '0')}`;
}

/**
 * A federated experiment, end to end: load and split the data, start the
 * client threads and the fusion worker once, then for each aggregator start
 * a real fedfuse server on the shared SQLite store and run it to the end
 * with every client connected over socket.io; finally read every number
 * back from the store, write results.json and the accuracy plot (SVG and
 * PNG) and return the results. Every aggregator gets the same partitions,
 * the same initial model and the same seeds.
 */
export async function runSimulation(options: SimulationOptions, observe: SimulationObserver): Promise<SimulationResults> {
  const started = performance.now();
  const seeds = simulationSeeds(options.seed);

  // Everything that can be refused is checked before any thread starts.
  const data = loadSimulationData(options.dataset, options.fashionMnistDir);
  const spec: ModelSpec = parseArchitecture(options.model, data.train.sampleShape, data.train.numClasses);
  const split = splitSimulationData(data, {
    clients: options.clients,
    scheme: options.partition,
    calibrationSize: options.calibrationSize,
    testSize: options.testSize,
    clientSamples: options.clientSamples,
    seed: seeds.split,
  });
  const clientIds = split.clients.map((_, i) => simulationClientId(i, options.clients));
  const hosted: HostedClient[] = split.clients.map((c, i) => ({
    clientId: clientIds[i]!,
    seed: seeds.client(i),
    images: c.images,
    labels: c.labels,
    count: c.count,
    labelHistogram: options.shareHistograms ? labelHistogram(c) : null,
  }));
  const groups = assignClientsToThreads(hosted, options.clientThreads);
  const threadOfClient = new Map<string, number>();
  groups.forEach((g, t) => g.forEach((c) => threadOfClient.set(c.clientId, t)));
  const initialModel = initNetwork(spec, seeds.initialModel);
  const partitionText = options.partition.kind === 'split-by-k' ? `split-by-${options.clients}` : formatPartitionScheme(options.partition);
  observe({
    type: 'setup',
    message:
      `${data.name}: ${split.clients.reduce((s, c) => s + c.count, 0)} samples dealt to ${options.clients} clients (${partitionText}), ` +
      `calibration ${split.calibration.count}, test ${split.test.count}; model ${options.model}; ${options.aggregators.length} aggregator(s) x ${options.rounds} round(s)`,
  });

  const outDir = path.resolve(options.outDir ?? path.join('results', `simulate-${timestamp()}`));
  mkdirSync(outDir, { recursive: true });
  const tempDir = options.keepDatabase ? null : mkdtempSync(path.join(tmpdir(), 'fedfuse-simulate-'));
  const dbPath = path.join(tempDir ?? outDir, 'fedfuse.sqlite');

  let store: RoundStore | null = null;
  let executor: FusionExecutor | null = null;
  let pool: ClientThreadPool | null = null;
  try {
    // An experiment's store need not survive a power cut (FULL's fsync per update); a crash of the process it survives either way.
    store = openRoundStore(dbPath, { synchronous: 'NORMAL' });
    executor = withCanonicalParentOrder(
      createWorkerFusionExecutor(
        {
          calibration: split.calibration.images,
          test: { images: split.test.images, labels: split.test.labels, count: split.test.count, name: `${data.name}-test` },
        },
        options.backend,
      ),
    );
    pool = await ClientThreadPool.start(groups, options.backend);
    observe({ type: 'setup', message: `${pool.threadCount} client thread(s) and the fusion worker are up; SQLite ${tempDir === null ? '' : '(temporary) '}${dbPath}` });
    const initialEvaluation = await executor.evaluate(initialModel, []);

    const secret = randomBytes(24).toString('hex');
    const tokens = Object.fromEntries(clientIds.map((id) => [id, mintClientToken(secret, id)]));
    const config = describeSimulationOptions(options);
    const ctx: RunContext = {
      store,
      executor,
      pool,
      initialModel,
      initialEvaluation,
      secret,
      tokens,
      options,
      runConfig: (variant) => ({ simulation: config, aggregator: variant.label }),
      observe,
    };
    const setupSeconds = (performance.now() - started) / 1000;
    const stamp = `${timestamp()}-${randomBytes(2).toString('hex')}`;
    const runs: RunResult[] = [];
    for (const [index, variant] of options.aggregators.entries()) {
      const runId = `sim-${stamp}-${index + 1}-${slug(variant.label)}`;
      const measured = await runAggregator(ctx, variant, index, options.aggregators.length, runId);
      const result = readRunResult(store, variant, measured, options.targetAccuracy, (id) => threadOfClient.get(id) ?? -1);
      runs.push(result);
      observe({ type: 'runFinished', label: variant.label, wallSeconds: result.timing.wallSeconds, bestAccuracy: result.bestAccuracy });
    }

    const files = {
      results: path.join(outDir, 'results.json'),
      plotSvg: path.join(outDir, 'accuracy.svg'),
      plotPng: path.join(outDir, 'accuracy.png'),
      database: tempDir === null ? dbPath : null,
    };
    const results: SimulationResults = {
      format: RESULTS_FORMAT,
      version: RESULTS_VERSION,
      createdAt: new Date().toISOString(),
      fedfuseVersion: FEDFUSE_VERSION,
      command: reproducingCommand(options),
      config,
      environment: { backend: options.backend, cpus: availableParallelism(), node: process.version, platform: `${process.platform}-${process.arch}` },
      data: {
        dataset: data.name,
        trainSamples: data.train.count,
        testSamples: split.test.count,
        calibrationSamples: split.calibration.count,
        clients: clientShares(split, clientIds, (i) => threadOfClient.get(clientIds[i]!) ?? -1),
        partitionFingerprint: partitionFingerprint(split),
        initialModelFingerprint: networkFingerprint(initialModel).slice(0, 16),
        modelSpec: spec,
      },
      targetAccuracy: options.targetAccuracy,
      runs,
      timing: { setupSeconds, totalSeconds: (performance.now() - started) / 1000 },
      files,
    };
    writeFileSync(files.results, `${JSON.stringify(results, null, 2)}\n`);
    await writeAccuracyPlot(
      {
        title: `${data.name}: ${partitionText}, ${options.clients} clients, ${options.model}, E=${options.localEpochs}`,
        subtitle: 'solid: global model after each round; dashed: ensemble of that round\'s client models',
        series: plotSeries(runs),
        target: options.targetAccuracy,
      },
      path.join(outDir, 'accuracy'),
    );
    return results;
  } finally {
    await pool?.close();
    await executor?.close();
    store?.close();
    if (tempDir !== null) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** The plot's lines: each run's global model (from round 0) and its client ensemble. */
export function plotSeries(runs: readonly RunResult[]): AccuracySeries[] {
  return runs.flatMap((r): AccuracySeries[] => {
    const global = [
      ...(r.initialAccuracy === null ? [] : [{ round: 0, accuracy: r.initialAccuracy }]),
      ...r.rounds.flatMap((x) => (x.accuracy === null ? [] : [{ round: x.round, accuracy: x.accuracy }])),
    ];
    const ensemble = r.rounds.flatMap((x) => (x.ensembleAccuracy === null ? [] : [{ round: x.round, accuracy: x.ensembleAccuracy }]));
    return [
      { label: r.label, kind: 'global model', points: global },
      { label: r.label, kind: 'client ensemble', points: ensemble },
    ];
  });
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
}

function slug(label: string): string {
  return label.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '');
}
