import { Command, CommanderError, Option } from 'commander';
import { FedfuseError } from '../../common/errors/index.ts';
import { parseBackendPreference, BACKEND_ENV_VAR } from '../../common/backend/index.ts';
import { COMMANDS } from './commands/index.ts';
import { FEDFUSE_VERSION } from './version.ts';

/**
 * The `fedfuse` command line. Each sub-command lives in its own file under
 * commands/ and registers itself on the program; this file only wires the
 * global options and turns errors into one clear line and an exit code.
 */
export function createProgram(): Command {
  const program = new Command('fedfuse')
    .description(
      'Federated-learning aggregation server with zero-shot neuron-centric model fusion (KF-linear, HF) ' +
        'for TensorFlow.js clients over socket.io and protobuf.',
    )
    .version(FEDFUSE_VERSION)
    .addOption(
      new Option('--backend <name>', `TF.js backend: auto (tfjs-node, else wasm, else cpu), tensorflow, wasm or cpu (env ${BACKEND_ENV_VAR})`)
        .default(process.env[BACKEND_ENV_VAR] ?? 'auto')
        .argParser((v) => {
          parseBackendPreference(v);
          return v;
        }),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI; returns the process exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed the message (or the help / version text);
      // its usage errors exit 1, ours exit 2 like every other usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof FedfuseError) {
      process.stderr.write(`fedfuse: error (${e.code}): ${e.message}\n`);
      return 2;
    }
    if (isSystemError(e)) {
      // A file or address the user named cannot be used (ENOENT, EACCES, ENOTDIR, EADDRINUSE...): their mistake, no stack.
      process.stderr.write(`fedfuse: error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof RangeError || e instanceof TypeError) {
      process.stderr.write(`fedfuse: error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`fedfuse: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!) && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}
