import { randomBytes } from 'node:crypto';
import { labelHistogram, type FederatedSplit } from '../../common/data/index.ts';
import { initNetwork, type ModelSpec, type Network } from '../../common/model/index.ts';
import { createWorkerFusionExecutor, type FusionExecutor } from '../aggregation/index.ts';
import { mintClientToken } from '../auth/index.ts';
import type { AsyncRoundStore } from '../store/index.ts';
import { networkFingerprint, withCanonicalParentOrder } from './canonical-parent-order.ts';
import type { HostedClient } from './client-thread-protocol.ts';
import { assignClientsToThreads, ClientThreadPool } from './client-thread-pool.ts';
import { runAggregator, type RunContext } from './run-aggregator.ts';
import { clientShares, partitionFingerprint, splitSimulationData, type ClientShare, type SimulationData } from './simulation-data.ts';
import type { SimulationObserver } from './simulation-events.ts';
import { describeSimulationOptions, type SimulationOptions } from './simulation-options.ts';
import { readRunResult, type RunResult } from './simulation-results.ts';

/** The seeds a simulation derives from one seed, each for one purpose, so the same seed gives the same experiment. */
export function simulationSeeds(seed: number): { split: number; initialModel: number; client: (index: number) => number } {
  return { split: seed, initialModel: seed * 7_919 + 1, client: (index) => seed * 100_003 + index + 1 };
}

/** `client-03` of 10: zero-padded so ids sort like their numbers. */
export function simulationClientId(index: number, clients: number): string {
  return `client-${String(index).padStart(String(clients - 1).length, '0')}`;
}

/** The data of a simulation dealt for `options.seed`: calibration, test and the clients' partitions. */
export function splitForSeed(data: SimulationData, options: SimulationOptions): FederatedSplit {
  return splitSimulationData(data, {
    clients: options.clients,
    scheme: options.partition,
    calibrationSize: options.calibrationSize,
    testSize: options.testSize,
    clientSamples: options.clientSamples,
    calibrationFrom: options.calibrationFrom,
    seed: simulationSeeds(options.seed).split,
  });
}

/** What every pass of a simulation shares. */
export interface SeedPassContext {
  readonly data: SimulationData;
  readonly spec: ModelSpec;
  /** The initial model of a --model file (every seed starts from its weights); null = the architecture initialised from each seed. */
  readonly fileModel: Network | null;
  readonly store: AsyncRoundStore;
  /** Makes the run ids of one simulation unique. */
  readonly stamp: string;
  readonly partitionText: string;
  readonly dbPath: string;
  readonly temporaryStore: boolean;
  readonly passIndex: number;
  readonly passes: number;
}

/** One seed's runs and what they ran on. */
export interface SeedPass {
  readonly seed: number;
  readonly runs: readonly RunResult[];
  readonly clients: readonly ClientShare[];
  readonly partitionFingerprint: string;
  readonly initialModelFingerprint: string;
  readonly testSamples: number;
  readonly calibrationSamples: number;
  readonly setupSeconds: number;
}

/**
 * Every arm with `options.seed`: split the data for that seed, start the
 * client threads and the fusion worker, run each arm (run-aggregator.ts) on
 * the same partitions, initial model and seeds, read the results back from
 * the store. Exactly what a simulation with only this seed runs.
 */
export async function runSeedPass(options: SimulationOptions, ctx: SeedPassContext, observe: SimulationObserver, presplit?: FederatedSplit): Promise<SeedPass> {
  const started = performance.now();
  const seeds = simulationSeeds(options.seed);
  const { data, spec } = ctx;
  const split = presplit ?? splitForSeed(data, options);
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
  const initialModel = ctx.fileModel ?? initNetwork(spec, seeds.initialModel);
  const seedNote = ctx.passes > 1 ? `seed ${options.seed} (${ctx.passIndex + 1} of ${ctx.passes}): ` : '';
  observe({
    type: 'setup',
    message:
      `${seedNote}${data.name}: ${split.clients.reduce((s, c) => s + c.count, 0)} samples dealt to ${options.clients} clients (${ctx.partitionText}), ` +
      `calibration ${split.calibration.count}, test ${split.test.count}; model ${options.model}; ${options.aggregators.length} ${options.aggregators.length === 1 ? 'aggregator' : 'aggregators'} x ${options.rounds} ${options.rounds === 1 ? 'round' : 'rounds'}`,
  });

  let executor: FusionExecutor | null = null;
  let pool: ClientThreadPool | null = null;
  try {
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
    observe({ type: 'setup', message: `${seedNote}${pool.threadCount} client thread(s) and the fusion worker are up; SQLite ${ctx.temporaryStore ? '(temporary) ' : ''}${ctx.dbPath}` });
    const initialEvaluation = await executor.evaluate(initialModel, []);

    const secret = randomBytes(24).toString('hex');
    const tokens = Object.fromEntries(clientIds.map((id) => [id, mintClientToken(secret, id)]));
    const config = describeSimulationOptions(options);
    const runContext: RunContext = {
      store: ctx.store,
      executor,
      pool,
      initialModel,
      initialEvaluation,
      secret,
      tokens,
      options,
      runConfig: (variant) => ({ simulation: config, aggregator: variant.label, seed: options.seed }),
      observe,
    };
    const setupSeconds = (performance.now() - started) / 1000;
    const runs: RunResult[] = [];
    const total = options.aggregators.length * ctx.passes;
    for (const [index, variant] of options.aggregators.entries()) {
      const seedPart = ctx.passes > 1 ? `-s${options.seed}` : '';
      const runId = `sim-${ctx.stamp}${seedPart}-${index + 1}-${slug(variant.label)}`;
      const measured = await runAggregator(runContext, variant, ctx.passIndex * options.aggregators.length + index, total, runId);
      const result = await readRunResult(ctx.store, variant, measured, options.targetAccuracy, (id) => threadOfClient.get(id) ?? -1, options.seed);
      runs.push(result);
      observe({ type: 'runFinished', label: variant.label, wallSeconds: result.timing.wallSeconds, bestAccuracy: result.bestAccuracy });
    }
    return {
      seed: options.seed,
      runs,
      clients: clientShares(split, clientIds, (i) => threadOfClient.get(clientIds[i]!) ?? -1),
      partitionFingerprint: partitionFingerprint(split),
      initialModelFingerprint: networkFingerprint(initialModel).slice(0, 16),
      testSamples: split.test.count,
      calibrationSamples: split.calibration.count,
      setupSeconds,
    };
  } finally {
    await pool?.close();
    await executor?.close();
  }
}

function slug(label: string): string {
  return label.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '');
}

