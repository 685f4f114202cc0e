import type { Command } from 'commander';

/** A sub-command adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

/** Every sub-command of `fedfuse`, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [];
