import type { Command } from 'commander';
import { registerClientCommand } from './client.ts';
import { registerFuseCommand } from './fuse.ts';
import { registerCompareCommand } from './compare.ts';
import { registerDashboardCommand } from './dashboard.ts';
import { registerServerCommand } from './server.ts';
import { registerSimulateCommand } from './simulate.ts';
import { registerTokenCommand } from './token.ts';
import { registerRevokeCommand } from './revoke.ts';

/** A sub-command adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

/** Every sub-command of `fedfuse`, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerServerCommand,
  registerDashboardCommand,
  registerClientCommand,
  registerTokenCommand,
  registerRevokeCommand,
  registerFuseCommand,
  registerSimulateCommand,
  registerCompareCommand,
];
