import type { Command } from 'commander';
import { flagOf, helpOf, type OptionTable } from '../../config/index.ts';

/**
 * One flag per entry of an option table, taking its value as a string: the
 * table's parser checks it later together with the config file, so a wrong
 * value is one line naming the flag and the exit code is the usage error's.
 */
export function addTableFlags(command: Command, table: OptionTable): Command {
  for (const [key, spec] of Object.entries(table)) {
    const flag = `${flagOf(key)} <${spec.arg}>`;
    if (spec.repeatable === true) command.option(flag, helpOf(spec), (value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    else command.option(flag, helpOf(spec));
  }
  return command;
}
