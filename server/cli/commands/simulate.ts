import type { Command } from 'commander';
import { FedfuseError } from '../../../common/errors/index.ts';
import { AGGREGATOR_DESCRIPTIONS, DEFAULT_TRAIN_FROM } from '../../aggregation/index.ts';
import {
  AGGREGATOR_NAMES,
  chooseProgressMode,
  createProgressReporter,
  DEFAULT_SIMULATION_SETTINGS as D,
  formatResultsTables,
  IMPORTANCE_NAMES,
  resolveSimulationOptions,
  runSimulation,
  type RawSimulationOptions,
  type SimulationResults,
} from '../../simulation/index.ts';

export interface SimulateFlags extends Omit<RawSimulationOptions, 'backend'> {
  readonly quiet: boolean;
  readonly json: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The options `simulate` and `compare` share (all strings: resolveSimulationOptions checks them and says what is wrong in one line). */
export function addSimulationOptions(command: Command): Command {
  return command
    .option('--dataset <name>', `mnist (the 10,000 embedded digits), fashion-mnist (Debian package dataset-fashion-mnist), or a directory with images.npy + labels.npy (default: ${D.dataset})`)
    .option('--fashion-mnist-dir <dir>', `where Fashion-MNIST's IDX files are (default: ${D.fashionMnistDir})`)
    .option('--clients <n>', `number of clients (default: ${D.clients}; split-by-K sets it to K)`)
    .option('--partition <scheme>', `iid | dirichlet:ALPHA | shards:K | split-by-K (the paper's protocol into K clients) | quantity:ALPHA (default: ${D.partition})`)
    .option('--model <arch|model.json>', `mlp:256 | mlp:400,200 | cnn:small | cnn:8,16 (initialised from each seed), or a TF.js Layers model.json or its folder (its topology trained, its weights the initial model of every seed; docs/models.md) (default: ${D.model})`)
    .option('--rounds <r>', `federated rounds (default: ${D.rounds})`)
    .option('--local-epochs <e>', `local epochs per round (default: ${D.localEpochs})`)
    .option('--batch-size <n>', `local batch size (default: ${D.batchSize})`)
    .option('--lr <rate>', `local learning rate (default: ${D.learningRate})`)
    .option('--optimizer <name>', `adam | sgd (default: ${D.optimizer})`)
    .option('--mu <mu>', `FedProx proximal term on every client, 0 = off (default: ${D.mu}); 'fedprox' uses it, or 0.01`)
    .option(
      '--aggregator <name>',
      `repeatable or comma-separated: ${AGGREGATOR_NAMES.join(' | ')}; kf-linear:IMPORTANCE and fedprox:MU pick a variant (default: ${D.aggregators.join(', ')}). ` +
        AGGREGATOR_NAMES.map((a) => `${a}: ${AGGREGATOR_DESCRIPTIONS[a]}`).join('; '),
      collect,
    )
    .option('--importance <method>', `neuron importance for kf-linear/hf: ${IMPORTANCE_NAMES.join(' | ')} (default: ${D.importance})`)
    .option('--attribution-samples <n>', `local samples a client scores its neurons on (default: ${D.attributionSamples})`)
    .option('--calibration <n>', `class-balanced calibration samples for the server, held by no client (default: ${D.calibrationSize})`)
    .option('--test-size <n>', `server test samples (default: ${D.testSize})`)
    .option('--client-samples <n>', 'deal at most N samples to the clients altogether (default: all that is left)')
    .option('--fraction <f>', `fraction of clients sampled per round (default: ${D.fraction})`)
    .option('--seed <s>', `seed of partitions, initial model, sampling and local training (default: ${D.seed})`)
    .option('--seeds <list>', 'run every arm once per seed, e.g. 0,1,2 (each seed with its own partitions, the same for every arm); tables show mean ± std')
    .option('--csv <file>', 'also write one tidy CSV row per arm x seed x round (accuracy, loss, ensemble, times)')
    .option('--target-accuracy <a>', `accuracy that "rounds to target" counts to (default: ${D.targetAccuracy})`)
    .option('--screening', 'screen updates before fusion as `fedfuse server` does by default (off here: simulated clients are honest)')
    .option('--neuron-fusion <settings>', 'kf-linear/hf settings on the server: federated (for clients starting from one global model) | paper (the published method) (default: federated)')
    .option('--train-from <model>', `kf-linear, kf-gradient, hf: what the next round's clients train from: served (the fused model) | average (the FedAvg average of the same updates) (default: ${DEFAULT_TRAIN_FROM})`)
    .option('--start-model-parent <on|off>', "kf-linear: fuse the model each round's clients started from as one more parent, from round 2 on (default: on)")
    .option('--client-widths <fractions>', 'heterogeneous clients, e.g. 1,0.5: client i trains fraction widths[i mod count] of the global hidden widths in the kf-linear, kf-gradient and heterofl arms (the other arms run every client at full width, as the reference); docs/models.md')
    .option('--calibration-from <split>', 'with a data set that has its own test split (fashion-mnist): carve the calibration set from train (default; the clients get the rest) or test (all training samples go to the clients)')
    .option('--share-histograms', 'clients disclose their label histograms to the server, which uses them as the class evidence of the federated fusion (off: labels and their counts stay on the clients)')
    .option('--client-threads <n>', 'worker threads hosting the clients (default: one per core, at most one per client)')
    .option('--out <dir>', 'write results.json, accuracy.svg/.png and keep fedfuse.sqlite here (default: results/simulate-<time>, SQLite in a temp dir)')
    .option('--discard-db', 'with --out: do not keep fedfuse.sqlite (it holds every update: ~8 MB per round at 10 clients x MLP 784-256-10)')
    .option('--quiet', 'no live progress: one line per round', false)
    .option('--json', 'progress as JSON lines on stderr, results.json on stdout', false);
}

/** Runs an experiment and prints its tables (or, with --json, the results) on stdout. */
export async function runSimulateAction(flags: SimulateFlags, command: Command, aggregators: readonly string[] | undefined): Promise<SimulationResults> {
  const { quiet, json, ...raw } = flags;
  const backend = command.optsWithGlobals<{ backend?: string }>().backend;
  const options = resolveSimulationOptions({ ...raw, ...(aggregators !== undefined ? { aggregator: aggregators } : {}), ...(backend !== undefined ? { backend } : {}) });
  const reporter = createProgressReporter(chooseProgressMode({ quiet, json }));
  // A live bar hides the cursor: give it back when the user interrupts.
  const onInterrupt = (): void => {
    reporter.stop();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  let results: SimulationResults;
  try {
    results = await runSimulation(options, reporter.onEvent);
  } finally {
    process.off('SIGINT', onInterrupt);
    reporter.stop();
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    process.stdout.write(`\n${formatResultsTables(results)}\n\n`);
    process.stdout.write(`results: ${results.files.results}\nplot:    ${results.files.plotPng}\n         ${results.files.plotSvg}\n`);
    if (results.files.database !== null) process.stdout.write(`store:   ${results.files.database}\n`);
  }
  return results;
}

export function registerSimulateCommand(program: Command): void {
  addSimulationOptions(
    program
      .command('simulate')
      .summary('run a federated experiment: a real server and N real clients on one machine')
      .description(
        'Splits one data set among N clients by a non-IID partitioner, starts a real fedfuse server (SQLite store, ' +
          'fusion in a worker thread) and the clients (worker threads, each client with its own socket.io connection) ' +
          'and runs R rounds once per --aggregator, with the same partitions, initial model and seeds for each. Shows ' +
          'progress, then prints accuracy per round and a summary, and writes results.json and an accuracy plot (SVG, PNG). ' +
          'Without options: embedded MNIST, 10 clients, Dirichlet 0.1, MLP 784-256-10, kf-linear vs fedavg.',
      ),
  ).action(async (flags: SimulateFlags, command: Command) => {
    await runSimulateAction(flags, command, undefined);
  });
}

/** `compare` needs at least two arms: otherwise there is nothing to compare. */
export function requireSeveralAggregators(aggregators: readonly string[]): void {
  const count = aggregators.flatMap((a) => a.split(',')).filter((a) => a.trim() !== '').length;
  if (count < 2) throw new FedfuseError('invalid_argument', `compare needs at least two aggregators, got ${count}: e.g. fedfuse compare kf-linear fedavg`);
}
