import type { Command } from 'commander';
import { FedfuseError } from '../../../common/errors/index.ts';
import { ALL_COMPARED_AGGREGATORS } from '../../simulation/index.ts';
import { addSimulationOptions, requireSeveralAggregators, runSimulateAction, type SimulateFlags } from './simulate.ts';

/**
 * What `fedfuse compare` runs when no aggregator is named: the fusion, FedAvg
 * with and without the fusion's class-prior correction (so the table
 * separates fusion from correction), and FedProx. A few arms, so the plain
 * command stays quick; `--all` runs every baseline (ALL_COMPARED_AGGREGATORS).
 */
export const DEFAULT_COMPARED_AGGREGATORS = ['kf-linear', 'fedavg', 'fedavg-prior', 'fedprox'] as const;

export function registerCompareCommand(program: Command): void {
  addSimulationOptions(
    program
      .command('compare')
      .summary('compare aggregators on identical partitions, initial model and seeds')
      .description(
        'The same experiment as `fedfuse simulate`, run once per aggregator (positional arguments and --aggregator ' +
          'together; at least two), so that the difference between the runs is the aggregation alone. ' +
          `Default: ${DEFAULT_COMPARED_AGGREGATORS.join(' ')}; --all: ${ALL_COMPARED_AGGREGATORS.join(' ')}. ` +
          'The aggregators are listed with what each is under --aggregator.',
      )
      .argument('[aggregators...]', 'aggregators to compare, e.g. kf-linear kf-linear:uniform fedavg fedprox:0.01')
      .option('--all', `run every baseline: ${ALL_COMPARED_AGGREGATORS.join(', ')}`, false),
  ).action(async (positional: string[], flags: SimulateFlags & { all: boolean }, command: Command) => {
    const { all, ...rest } = flags;
    const named = [...positional, ...(rest.aggregator ?? [])];
    if (all && named.length > 0) throw new FedfuseError('invalid_argument', 'compare --all runs every aggregator: name none, or leave out --all');
    const aggregators = all ? [...ALL_COMPARED_AGGREGATORS] : named.length === 0 ? [...DEFAULT_COMPARED_AGGREGATORS] : named;
    requireSeveralAggregators(aggregators);
    await runSimulateAction(rest, command, aggregators);
  });
}
