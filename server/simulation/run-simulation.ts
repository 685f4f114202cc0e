import { FedfuseError } from '../../common/errors/index.ts';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { formatPartitionScheme, type FederatedSplit } from '../../common/data/index.ts';
import type { ModelSpec } from '../../common/model/index.ts';
import { loadInitialModelSource } from '../config/index.ts';
import { checkClientWidthsForRun } from '../aggregation/index.ts';
import { FEDFUSE_VERSION } from '../cli/version.ts';
import { openStore, type AsyncRoundStore } from '../store/index.ts';
import { writeAccuracyPlot } from './accuracy-plot.ts';
import { accuracyPlotSeries } from './plot-series.ts';
import { resultsCsv } from './results-csv.ts';
import { runSeedPass, splitForSeed, type SeedPass } from './run-seed-pass.ts';
import { summariseArms } from './seed-summary.ts';
import { loadSimulationData } from './simulation-data.ts';
import type { SimulationObserver } from './simulation-events.ts';
import { describeSimulationOptions, reproducingCommand, type SimulationOptions } from './simulation-options.ts';
import { RESULTS_FORMAT, RESULTS_VERSION, type SimulationResults } from './simulation-results.ts';

export { simulationSeeds, simulationClientId } from './run-seed-pass.ts';
export { plotSeries } from './plot-series.ts';

/**
 * A federated experiment, end to end: load the data once, then for each seed
 * (run-seed-pass.ts) split it, start the client threads and the fusion
 * worker, and run every arm on a real fedfuse server over the shared SQLite
 * store with every client connected over socket.io; finally read every
 * number back from the store, summarise each arm over its seeds (mean ± std),
 * write results.json, the accuracy plot (SVG and PNG) and, when asked, the
 * CSV, and return the results. Within a seed every arm gets the same
 * partitions, initial model and seeds; each seed runs exactly what a
 * separate run with that seed would.
 */
export async function runSimulation(options: SimulationOptions, observe: SimulationObserver): Promise<SimulationResults> {
  const started = performance.now();
  // Everything that can be refused is checked before any thread starts.
  const data = loadSimulationData(options.dataset, options.fashionMnistDir);
  const model = await loadInitialModelSource(options.model, data.train);
  const spec: ModelSpec = model.spec;
  for (const a of options.aggregators) if (a.clientWidths !== null) checkClientWidthsForRun(a.clientWidths, a.name, spec);
  // The first seed's split is made before anything is written: a partition that cannot be dealt is refused here (the same for every seed).
  let firstSplit: FederatedSplit | undefined = splitForSeed(data, { ...options, seed: options.seeds[0]! });
  const partitionText = options.partition.kind === 'split-by-k' ? `split-by-${options.clients}` : formatPartitionScheme(options.partition);

  const outDir = path.resolve(options.outDir ?? path.join('results', `simulate-${timestamp()}`));
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new FedfuseError('invalid_argument', `--out ${options.outDir ?? outDir}: cannot make the directory (${(e as NodeJS.ErrnoException).code ?? String(e)}: a file is in the way, or no permission)`);
  }
  const tempDir = options.keepDatabase ? null : mkdtempSync(path.join(tmpdir(), 'fedfuse-simulate-'));
  const dbPath = path.join(tempDir ?? outDir, 'fedfuse.sqlite');

  let store: AsyncRoundStore | null = null;
  try {
    // An experiment's store need not survive a power cut (FULL's fsync per update); a crash of the process it survives either way.
    store = await openStore(dbPath, { sqlite: { synchronous: 'NORMAL' } });
    const stamp = `${timestamp()}-${randomBytes(2).toString('hex')}`;
    const passes: SeedPass[] = [];
    let setupSeconds = 0;
    for (const [k, seed] of options.seeds.entries()) {
      const pass = await runSeedPass(
        { ...options, seed },
        { data, spec, fileModel: model.weights, store, stamp, partitionText, dbPath, temporaryStore: tempDir !== null, passIndex: k, passes: options.seeds.length },
        observe,
        firstSplit,
      );
      firstSplit = undefined; // let the first seed's data go once its pass is done
      setupSeconds += pass.setupSeconds;
      passes.push(pass);
    }

    const runs = passes.flatMap((p) => p.runs);
    const first = passes[0]!;
    const config = describeSimulationOptions(options);
    const files = {
      results: path.join(outDir, 'results.json'),
      plotSvg: path.join(outDir, 'accuracy.svg'),
      plotPng: path.join(outDir, 'accuracy.png'),
      database: tempDir === null ? dbPath : null,
      csv: options.csvPath === null ? null : path.resolve(options.csvPath),
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
        testSamples: first.testSamples,
        calibrationSamples: first.calibrationSamples,
        clients: first.clients,
        partitionFingerprint: first.partitionFingerprint,
        initialModelFingerprint: first.initialModelFingerprint,
        modelSpec: spec,
        perSeed: passes.map((p) => ({ seed: p.seed, partitionFingerprint: p.partitionFingerprint, initialModelFingerprint: p.initialModelFingerprint, clients: p.clients })),
      },
      targetAccuracy: options.targetAccuracy,
      seeds: options.seeds,
      runs,
      arms: summariseArms(runs),
      timing: { setupSeconds, totalSeconds: (performance.now() - started) / 1000 },
      files,
    };
    writeFileSync(files.results, `${JSON.stringify(results, null, 2)}\n`);
    if (files.csv !== null) {
      mkdirSync(path.dirname(files.csv), { recursive: true });
      writeFileSync(files.csv, resultsCsv(results));
    }
    const seedsText = options.seeds.length === 1 ? `seed ${options.seeds[0]}` : `seeds ${options.seeds.join(', ')} (mean ± std)`;
    await writeAccuracyPlot(
      {
        title: `${data.name}: ${partitionText}, ${options.clients} clients, ${options.model}, E=${options.localEpochs}; ${seedsText}`,
        subtitle:
          (options.seeds.length > 1 ? 'lines: mean over seeds, bands: ± one standard deviation; ' : '') +
          "solid: served global model after each round; dashed: the clients' ensemble (their averaged softmax; not a ceiling under label skew)",
        series: accuracyPlotSeries(results.arms),
        target: options.targetAccuracy,
      },
      path.join(outDir, 'accuracy'),
    );
    return results;
  } finally {
    await store?.close();
    if (tempDir !== null) rmSync(tempDir, { recursive: true, force: true });
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
}
