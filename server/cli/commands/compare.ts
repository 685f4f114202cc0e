import type { Command } from 'commander';
import { addSimulationOptions, requireSeveralAggregators, runSimulateAction, type SimulateFlags } from './simulate.ts';

/** What `fedfuse compare` runs when no aggregator is named. */
export const DEFAULT_COMPARED_AGGREGATORS = ['kf-linear', 'fedavg', 'fedprox'] as const;

export function registerCompareCommand(program: Command): void {
  addSimulationOptions(
    program
      .command('compare')
      .summary('compare aggregators on identical partitions, initial model and seeds')
      .description(
        'The same experiment as `fedfuse simulate`, run once per aggregator (positional arguments and --aggregator ' +
          'together; at least two), so that the difference between the runs is the aggregation alone. ' +
          `Default: ${DEFAULT_COMPARED_AGGREGATORS.join(' ')}.`,
      )
      .argument('[aggregators...]', 'aggregators to compare, e.g. kf-linear kf-linear:uniform fedavg fedprox:0.01'),
  ).action(async (positional: string[], flags: SimulateFlags, command: Command) => {
    const named = [...positional, ...(flags.aggregator ?? [])];
    const aggregators = named.length === 0 ? [...DEFAULT_COMPARED_AGGREGATORS] : named;
    requireSeveralAggregators(aggregators);
    await runSimulateAction(flags, command, aggregators);
  });
}
