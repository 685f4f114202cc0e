import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { initBackend, parseBackendPreference } from '../../../common/backend/index.ts';
import { carveHoldout, DATASET_SOURCE_HELP, labelHistogram, loadDatasetSource, parsePartitionScheme, partition, subset, type Dataset } from '../../../common/data/index.ts';
import { FedfuseError } from '../../../common/errors/index.ts';
import { clientIdFromToken, FedfuseClient, type ClientEvent, type ClientTls } from '../../../client/index.ts';
import type { DataCarve } from '../../../common/wire/index.ts';
import { secretFromOptionOrFile } from '../../config/index.ts';
import { int, positiveSeconds, widthFraction } from './option-parsers.ts';

interface ClientFlags {
  server: string;
  token?: string;
  tokenFile?: string;
  data: string;
  partition?: string;
  clientIndex?: number;
  numClients?: number;
  splitSeed: number;
  calibrationSize: number;
  testSize: number;
  seed: number;
  connectTimeout: number;
  shareHistogram: boolean;
  widthCapacity?: number;
  quiet: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

export function registerClientCommand(program: Command): void {
  program
    .command('client')
    .summary('run one federated client: train on local data each round and upload')
    .description(
      'Connects to a fedfuse server, trains the global model on this client\'s data whenever it is sampled, computes ' +
        'the attribution summary the server asks for, uploads both, and follows the global model until the run ends ' +
        '(exit 0). Reconnects with backoff if the server goes away. With a shared data set (mnist, fashion-mnist) ' +
        'and --partition, the client takes its own part: the server\'s calibration/test carve (same --split-seed, ' +
        '--calibration-size, --test-size) is removed first, then the rest is partitioned among --num-clients.',
    )
    .requiredOption('--server <url>', 'server URL, e.g. https://fedfuse.example:8443 (http:// only on a trusted network)')
    .option('--ca <file>', 'PEM CA to trust for an https server instead of the system\'s (a private CA or a self-signed certificate)')
    .option('--cert <file>', 'PEM client certificate, for a server started with --tls-ca (with --key)')
    .option('--key <file>', 'PEM private key of --cert')
    .option('--token <token>', 'client token from `fedfuse token` (default $FEDFUSE_TOKEN; a flag is visible to every user in ps)')
    .option('--token-file <file>', 'read the client token from this file (mode 600, one line)')
    .requiredOption('--data <source>', `local data: ${DATASET_SOURCE_HELP}`)
    .option('--partition <scheme>', 'take one part of a shared data set: iid | dirichlet:ALPHA | shards:K | split-by-k | quantity:ALPHA')
    .option('--client-index <i>', 'which part (0-based), with --partition', int)
    .option('--num-clients <n>', 'how many parts, with --partition', int)
    .option('--split-seed <n>', 'seed of the calibration/test carve and the partition (as the server\'s --split-seed)', int, 0)
    .option('--calibration-size <n>', 'as the server\'s', int, 400)
    .option('--test-size <n>', 'as the server\'s', int, 1000)
    .option('--seed <n>', 'seed of local training', int, 0)
    .option('--connect-timeout <seconds>', 'give up (exit 2) when the server cannot be reached for this long at start', positiveSeconds, 30)
    .option('--share-histogram', 'tell the server how many examples of each class this client has', false)
    .option('--width-capacity <p>', "heterogeneous runs: train at most this fraction of the global model's hidden widths (declared in the hello; the server's --client-widths must have a width not above it)", widthFraction)
    .option('--quiet', 'print only errors', false)
    .action(async (flags: ClientFlags, command: Command) => {
      await initBackend(parseBackendPreference(command.optsWithGlobals<{ backend: string }>().backend));
      await runClient(flags);
    });
}

function localData(flags: ClientFlags): Dataset {
  const ds = loadDatasetSource(flags.data);
  if (flags.partition === undefined) return ds;
  if (flags.clientIndex === undefined || flags.numClients === undefined) {
    throw new FedfuseError('invalid_argument', '--partition needs --client-index and --num-clients');
  }
  if (flags.numClients < 1) throw new FedfuseError('invalid_argument', `--num-clients must be at least 1 (got ${flags.numClients})`);
  if (flags.clientIndex < 0 || flags.clientIndex >= flags.numClients) {
    throw new FedfuseError('invalid_argument', `--client-index must be in [0, ${flags.numClients - 1}]`);
  }
  const holdout = carveHoldout(ds.labels, { testSize: flags.testSize, calibrationSize: flags.calibrationSize, seed: flags.splitSeed });
  const parts = partition(ds.labels, flags.numClients, parsePartitionScheme(flags.partition), flags.splitSeed, holdout.rest);
  return subset(ds, parts[flags.clientIndex]!, `${ds.name} part ${flags.clientIndex}/${flags.numClients}`);
}

async function runClient(flags: ClientFlags): Promise<void> {
  const token = secretFromOptionOrFile(flags.token ?? (flags.tokenFile === undefined ? (process.env['FEDFUSE_TOKEN'] ?? null) : null), flags.tokenFile ?? null, '--token');
  if (token === null || token === '') throw new FedfuseError('invalid_argument', 'a client token is required: $FEDFUSE_TOKEN, --token-file or --token');
  const clientId = clientIdFromToken(token);
  const tls = clientTls(flags);
  const data = localData(flags);
  const say = (line: string): void => {
    if (!flags.quiet) process.stdout.write(`${new Date().toISOString()} ${clientId}: ${line}\n`);
  };
  say(`${data.count} local samples from ${data.name}`);
  let refuseCarve: (e: Error) => void = () => {};
  const carveRefused = new Promise<never>((_resolve, reject) => (refuseCarve = reject));
  const client = new FedfuseClient(flags.server, token, {
    clientId,
    data,
    seed: flags.seed,
    labelHistogram: flags.shareHistogram ? labelHistogram(data) : null,
    widthCapacity: flags.widthCapacity ?? null,
    onEvent: (e) => {
      say(describe(e));
      const mismatch = e.type === 'welcome' ? carveMismatch(flags, e.dataCarve) : null;
      if (mismatch !== null) refuseCarve(new FedfuseError('invalid_argument', mismatch));
      // A session the server cut (token expired or revoked) is not reconnected: exit instead of waiting for the run.
      if (e.type === 'refused' && e.code === 'unauthenticated') refuseCarve(new FedfuseError('unauthenticated', e.message));
    },
    tls,
  });
  say(`connecting to ${flags.server} (giving up after ${flags.connectTimeout} s)`);
  await client.connect(flags.connectTimeout * 1000);
  try {
    await Promise.race([client.whenRunFinished(), carveRefused]);
  } catch (e) {
    client.close();
    throw e;
  }
  say(`run finished at round ${client.latestGlobalModel()?.round ?? 0}`);
  client.close();
}

/**
 * A client that partitions the server's own data set must first remove the
 * server's calibration/test carve exactly as the server made it, or its part
 * may hold the server's test samples. The server says its carve in Welcome.
 */
function carveMismatch(flags: ClientFlags, carve: DataCarve | null): string | null {
  if (carve === null || flags.partition === undefined || carve.dataset !== flags.data) return null;
  const differences = (
    [
      ['--split-seed', carve.splitSeed, flags.splitSeed],
      ['--calibration-size', carve.calibrationSize, flags.calibrationSize],
      ['--test-size', carve.testSize, flags.testSize],
    ] as const
  ).filter(([, server, mine]) => server !== mine);
  if (differences.length === 0) return null;
  return (
    `the server carves ${carve.dataset} with --split-seed ${carve.splitSeed} --calibration-size ${carve.calibrationSize} --test-size ${carve.testSize}, ` +
    `but this client was given ${differences.map(([flag, , mine]) => `${flag} ${mine}`).join(' ')}: its part could hold the server's test samples; use the server's values`
  );
}

/** The --ca/--cert/--key files as PEM text; null without them. Each misuse is one line naming its flag. */
function clientTls(flags: ClientFlags): ClientTls | null {
  let scheme: string;
  try {
    scheme = new URL(flags.server).protocol;
  } catch {
    throw new FedfuseError('invalid_argument', `--server ${JSON.stringify(flags.server)} is not a URL (e.g. https://fedfuse.example:8443)`);
  }
  if (scheme !== 'http:' && scheme !== 'https:') throw new FedfuseError('invalid_argument', `--server must be an http:// or https:// URL, got ${scheme}`);
  if (flags.ca === undefined && flags.cert === undefined && flags.key === undefined) return null;
  if (scheme !== 'https:') throw new FedfuseError('invalid_argument', '--ca, --cert and --key need an https:// --server');
  if ((flags.cert === undefined) !== (flags.key === undefined)) throw new FedfuseError('invalid_argument', '--cert and --key go together');
  const read = (flag: string, path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new FedfuseError('invalid_argument', `cannot read ${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  };
  const ca = read('--ca', flags.ca);
  const cert = read('--cert', flags.cert);
  const key = read('--key', flags.key);
  return { ...(ca !== undefined ? { ca } : {}), ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}) };
}

function describe(e: ClientEvent): string {
  switch (e.type) {
    case 'welcome':
      return `joined run ${e.runId} at round ${e.currentRound}${e.runFinished ? ' (finished)' : ''}`;
    case 'task':
      return `round ${e.round}: training`;
    case 'trained':
      return `round ${e.round}: trained (loss ${e.update.metrics.loss.toFixed(4)}, ${e.update.metrics.trainSeconds.toFixed(1)} s), uploading`;
    case 'uploaded':
      return `round ${e.round}: ${e.message}`;
    case 'uploadRefused':
      return `round ${e.round}: upload refused (${e.code}): ${e.message}`;
    case 'globalModel':
      return `global model of round ${e.round}${e.final ? ' (final)' : ''}`;
    case 'disconnected':
      return e.reason === 'io client disconnect' ? 'disconnected' : `disconnected (${e.reason}), reconnecting`;
    case 'refused':
      return `refused (${e.code}): ${e.message}`;
    case 'error':
      return `error: ${e.message}`;
    case 'connected':
      return 'connected';
  }
}
