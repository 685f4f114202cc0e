import { ATTRIBUTION_METHODS } from '../../common/attribution/summary.ts';
import { DATASET_SOURCE_HELP } from '../../common/data/index.ts';
import { ARCHITECTURE_EXAMPLES } from '../../common/model/index.ts';
import { OPTIMIZERS } from '../../common/wire/index.ts';
import { AGGREGATOR_DESCRIPTIONS, AGGREGATORS, DEFAULT_START_MODEL_PARENT, DEFAULT_TRAIN_FROM, TRAIN_FROM } from '../aggregation/index.ts';
import { NEURON_FUSION_SETTINGS } from '../aggregation/aggregation-jobs.ts';
import { DEFAULT_SCREENING_OPTIONS as S } from '../screening/index.ts';
import { option } from './option-table.ts';
import { choice, integer, list, nullable, number, numberList, onOff, OptionValueError, text, type ValueParser } from './option-values.ts';

/**
 * Every option of `fedfuse server`, declared once. The key is the config-file
 * key; the flag is its kebab-case (`calibrationSize` -> `--calibration-size`);
 * `fedfuse server --help`, the config file's keys and the checks all come from
 * here (option-table.ts). To add an option: add an entry, then use it where
 * server/cli/commands/server.ts builds the server.
 */
export const SERVER_OPTIONS = {
  // Where to listen and what to keep.
  port: option({ perProcess: true, arg: 'n', default: 8080, parse: integer(0, 65_535), doc: 'TCP port, 0 = any free port' }),
  host: option({ perProcess: true, arg: 'address', default: '127.0.0.1', parse: text({ what: 'a host name or address' }), doc: 'address to listen on (0.0.0.0 for edge clients)' }),
  db: option({
    perProcess: true,
    arg: 'file|url',
    default: './fedfuse.sqlite',
    parse: text({ what: 'a file path, :memory:, or a postgres:// URL' }),
    doc: 'where runs, rounds, updates and models are stored: a SQLite file, or a PostgreSQL database (postgres://user@host:5432/db, ?schema=name for a schema of its own); restart on it to resume',
    deprecatedKeys: ['database'],
  }),
  secret: option({ perProcess: true,
    arg: 's',
    default: null,
    env: 'FEDFUSE_SECRET',
    parse: nullable(text({ minLength: 16 })),
    secret: true,
    defaultText: '$FEDFUSE_SECRET',
    doc: 'client-token signing secret, at least 128 random bits (openssl rand -hex 16); prefer $FEDFUSE_SECRET or --secret-file: a flag is visible to every user in ps',
  }),
  secretFile: option({ perProcess: true, arg: 'file', default: null, parse: nullable(text({ what: 'a file path' })), defaultText: 'none', doc: 'read the signing secret from this file (mode 600, one line) instead' }),
  adminToken: option({ perProcess: true,
    arg: 't',
    default: null,
    env: 'FEDFUSE_ADMIN_TOKEN',
    parse: nullable(text({ minLength: 8 })),
    secret: true,
    defaultText: '$FEDFUSE_ADMIN_TOKEN, else the admin routes are disabled',
    doc: 'guards the mutating HTTP routes (POST /api/run/stop, /api/tokens, /api/tokens/revoke), >= 8 characters; prefer $FEDFUSE_ADMIN_TOKEN or --admin-token-file',
  }),
  adminTokenFile: option({ perProcess: true, arg: 'file', default: null, parse: nullable(text({ what: 'a file path' })), defaultText: 'none', doc: 'read the admin token from this file (mode 600, one line) instead' }),
  adminGuessesPerMinute: option({ perProcess: true, arg: 'n', default: 10, parse: integer(1), doc: 'failed token attempts (admin or read token, on any route or the dashboard) allowed per remote address: this many at once, then this many a minute (429 beyond)' }),
  readApi: option({ perProcess: true,
    arg: 'mode',
    default: 'private',
    parse: choice(['private', 'public'] as const),
    doc: 'routes that show per-client data (client ids, who is online, each client\'s metrics, screening details; /api/status, /api/runs, /api/rounds[/n], the dashboard\'s feed): private = 401 without the read or admin token; public = without a token they answer with the per-client fields removed (docs/security.md)',
  }),
  readToken: option({ perProcess: true,
    arg: 't',
    default: null,
    env: 'FEDFUSE_READ_TOKEN',
    parse: nullable(text({ minLength: 8 })),
    secret: true,
    defaultText: '$FEDFUSE_READ_TOKEN, else only the admin token reads',
    doc: 'reads the per-client routes and the dashboard (nothing else), >= 8 characters; prefer $FEDFUSE_READ_TOKEN or --read-token-file',
  }),
  readTokenFile: option({ perProcess: true, arg: 'file', default: null, parse: nullable(text({ what: 'a file path' })), defaultText: 'none', doc: 'read the read token from this file (mode 600, one line) instead' }),

  // TLS: the server speaks https and wss itself (server/tls, README "Deployment").
  tlsCert: option({ perProcess: true, arg: 'file', default: null, parse: nullable(text({ what: 'a PEM file path' })), defaultText: 'none: plain HTTP', doc: 'PEM certificate chain: serve https and wss (with --tls-key)' }),
  tlsKey: option({ perProcess: true, arg: 'file', default: null, parse: nullable(text({ what: 'a PEM file path' })), defaultText: 'none', doc: 'PEM private key of --tls-cert' }),
  tlsCa: option({ perProcess: true, arg: 'file', default: null, parse: nullable(text({ what: 'a PEM file path' })), defaultText: 'none: no client certificates', doc: 'PEM CA: require every TLS connection to present a client certificate it signed (on top of the tokens)' }),

  // The server's data: calibration (unlabelled, for fusion) and test (labelled, for evaluation), carved from one source.
  dataset: option({ arg: 'source', default: 'mnist', parse: text({ what: 'a data set name or path' }), doc: `where calibration and test sets come from: ${DATASET_SOURCE_HELP}` }),
  calibrationSize: option({ arg: 'n', default: 400, parse: integer(1), doc: 'unlabelled calibration samples for fusion, carved class-balanced' }),
  testSize: option({ arg: 'n', default: 1000, parse: integer(0), doc: 'held-out labelled samples for evaluation, 0 = none' }),
  splitSeed: option({ arg: 'n', default: 0, parse: integer(0), doc: 'seed of the calibration/test carve; clients must use the same' }),
  model: option({
    arg: 'arch|model.json',
    default: 'mlp:256',
    parse: text({ what: 'an architecture such as mlp:256, or a model.json' }),
    doc: `the initial global model: a built-in architecture (${ARCHITECTURE_EXAMPLES}) initialised from --seed, or a TF.js Layers model.json (or its folder) whose topology the clients train and whose weights they start from (docs/models.md)`,
  }),

  // The run and its rounds.
  runId: option({ perProcess: true,
    arg: 'id',
    default: null,
    parse: nullable(text({ what: '1-64 letters, digits, ".", "_" or "-"', pattern: /^[A-Za-z0-9._-]{1,64}$/ })),
    defaultText: 'the newest running run, else the newest ended one (shown, not replaced), else a new one',
    doc: 'run to resume, show or create',
  }),
  newRun: option({
    arg: 'on|off',
    default: false,
    perProcess: true,
    parse: onOff(),
    doc: 'start a new run although the database holds one (without it, a restart resumes the running run or shows the newest ended one)',
  }),
  rounds: option({ arg: 'n', default: 10, parse: integer(1), doc: 'rounds to run' }),
  minClients: option({ arg: 'n', default: 2, parse: integer(1), doc: 'connected clients needed before a round opens' }),
  fraction: option({ arg: 'f', default: 1, parse: number({ above: 0, max: 1 }), doc: 'fraction of connected clients sampled per round', deprecatedKeys: ['fractionFit'] }),
  minFitClients: option({ arg: 'n', default: 1, parse: integer(1), doc: 'at least this many sampled per round' }),
  quorum: option({ arg: 'n', default: 1, parse: integer(1), doc: 'updates needed at the deadline to aggregate' }),
  roundTimeout: option({ perProcess: true, arg: 'seconds', default: 300, unit: 's', parse: number({ above: 0 }), doc: 'how long a round waits for updates' }),
  maxAttempts: option({ perProcess: true, arg: 'n', default: 3, parse: integer(1), doc: 'tries per round before the run fails' }),
  reconnectGrace: option({ perProcess: true, arg: 'seconds', default: 15, unit: 's', parse: number({ min: 0 }), doc: 'how long a sampled client that dropped is waited for before the round closes without it' }),
  maxNumExamples: option({ arg: 'n', default: 10_000_000, parse: integer(1), doc: "largest num_examples a client may declare (it weighs the client's update)" }),

  // How updates are fused.
  aggregator: option({
    arg: 'name',
    default: 'kf-linear',
    parse: choice(AGGREGATORS),
    doc: `how the updates become the next global model (${AGGREGATORS.map((a) => `${a}: ${AGGREGATOR_DESCRIPTIONS[a]}`).join('; ')})`,
  }),
  trainFrom: option({
    arg: 'model',
    default: DEFAULT_TRAIN_FROM,
    parse: choice(TRAIN_FROM),
    doc: "kf-linear, kf-gradient, hf: what the next round's clients train from: served (the fused model, with its output corrections) or average (the FedAvg average of the same updates; docs/federated-fusion.md)",
  }),
  startModelParent: option({
    arg: 'on|off',
    default: DEFAULT_START_MODEL_PARENT,
    parse: onOff(),
    doc: "kf-linear: fuse the model a round's clients started from as one more parent, from round 2 on (docs/federated-fusion.md)",
  }),
  clientWidths: option({
    arg: 'fractions',
    default: [1],
    parse: numberList(number({ above: 0, max: 1 }), 'width fractions in (0, 1], comma-separated (e.g. 1,0.5,0.25)'),
    defaultText: '1: every client at the global width',
    doc: "heterogeneous clients: fractions of the global hidden widths (e.g. 1,0.5,0.25), dealt by client id (a number n ending the id gets fraction n mod count, round-robin); each client trains its first neurons of the training model (HeteroFL's average of the updates; with --train-from served, kf-linear's fused model fused down to its width); docs/models.md",
  }),
  importance: option({ arg: 'source', default: 'client', parse: choice(['client', 'uniform', 'activation'] as const), doc: "neuron importance: the clients' attribution summaries, or computed on the server" }),
  neuronFusion: option({
    arg: 'settings',
    default: 'federated',
    parse: choice(NEURON_FUSION_SETTINGS),
    doc: 'kf-linear/hf settings: federated (class consensus of the output layer, aligned ridge prior, index-started k-means, FedAvg-scaled logits, class-prior matching; for clients that start from one global model) or paper (the published method)',
  }),
  seed: option({ arg: 'n', default: 0, parse: integer(0), doc: 'seed of the initial model, sampling and fusion' }),

  // What clients are told to do each round.
  epochs: option({ arg: 'n', default: 1, parse: integer(1), doc: 'local epochs per round' }),
  batchSize: option({ arg: 'n', default: 32, parse: integer(1), doc: 'local batch size' }),
  lr: option({ arg: 'rate', default: 0.001, parse: number({ above: 0 }), doc: 'local learning rate', deprecatedKeys: ['learningRate'] }),
  optimizer: option({ arg: 'name', default: 'adam', parse: choice(OPTIMIZERS), doc: 'local optimizer' }),
  mu: option({ arg: 'mu', default: 0, parse: number({ min: 0 }), doc: 'FedProx proximal term on the clients, 0 = off' }),
  attribution: option({ arg: 'method', default: 'conductance', parse: choice(ATTRIBUTION_METHODS), doc: 'what clients send as importance (with --importance client)' }),
  attributionSamples: option({ arg: 'n', default: 500, parse: integer(0), doc: 'local samples clients score neurons on' }),

  // Connections and logs.
  pingInterval: option({ perProcess: true, arg: 'seconds', default: 25, unit: 's', parse: number({ above: 0 }), doc: 'socket.io heartbeat interval' }),
  pingTimeout: option({ perProcess: true, arg: 'seconds', default: 120, unit: 's', parse: number({ above: 0 }), doc: 'how long a heartbeat is waited for (generous: big uploads on slow links)' }),
  // What a peer may hold before (and regardless of) proving who it is (server/transport/connection-limits.ts, docs/security.md).
  maxConnectionsPerAddress: option({ perProcess: true, arg: 'n', default: 32, parse: integer(1), doc: 'open TCP connections one remote address may hold (HTTP, WebSocket, TLS handshakes); the next is answered 503 unavailable' }),
  maxConnections: option({ perProcess: true, arg: 'n', default: 1000, parse: integer(1), doc: 'open TCP connections in total; the next is answered 503 unavailable' }),
  polling: option({ perProcess: true, arg: 'on|off', default: false, parse: onOff(), doc: 'also offer HTTP long-polling as a socket.io transport (for networks that block WebSockets); off = WebSocket only' }),
  headersTimeout: option({ perProcess: true, arg: 'seconds', default: 10, unit: 's', parse: number({ above: 0 }), doc: "time for an HTTP request's headers to arrive" }),
  requestTimeout: option({ perProcess: true, arg: 'seconds', default: 30, unit: 's', parse: number({ above: 0 }), doc: 'time for a whole HTTP request to arrive (responses, e.g. model downloads, are not limited)' }),
  preAuthMaxBytes: option({ perProcess: true, arg: 'bytes', default: 16 * 1024, parse: integer(1024), doc: "largest HTTP header block, and largest frame of a socket.io session without a client token (dashboard observers)" }),
  logLevel: option({ perProcess: true, arg: 'level', default: 'info', parse: choice(['silent', 'error', 'warn', 'info', 'debug'] as const), doc: 'log level (JSON lines on stdout)' }),

  // Screening of updates before fusion (server/screening, docs/reliability.md).
  screening: option({ arg: 'on|off', default: S.enabled, parse: onOff(), doc: 'screen updates before fusion and leave out clearly harmful ones, recorded per round' }),
  screeningSamples: option({ arg: 'n', default: S.samples, parse: integer(1), doc: 'calibration samples updates are screened on' }),
  screeningMaxDistanceToGlobal: option({
    arg: 'x',
    default: S.maxDistanceToGlobalNorm,
    parse: number({ above: 0 }),
    doc: "reject an update farther from the global model than x times the global model's norm",
    deprecatedKeys: ['screeningMaxDistanceToGlobalNorm'],
  }),
  screeningMaxDistanceRatio: option({ arg: 'x', default: S.maxDistanceRatio, parse: number({ above: 1 }), doc: "reject an update farther than x times the round's median distance (above 1)..." }),
  screeningMaxDistanceZ: option({ arg: 'z', default: S.maxDistanceZ, parse: number({ above: 0 }), doc: '...when its robust z-score is also above z' }),
  screeningMinUpdates: option({ arg: 'n', default: S.minUpdatesForRelative, parse: integer(3), doc: 'updates needed before updates are compared with each other (a median needs a majority)' }),
  screeningMinAgreement: option({ arg: 'f', default: S.minAgreement, parse: number({ min: 0, max: 1 }), doc: "reject an update agreeing with the others' ensemble on fewer than this fraction of samples, 0 = off" }),

  // The dashboard and cross-origin model downloads (server/dashboard, server/http).
  dashboard: option({ perProcess: true,
    arg: 'on|off',
    default: 'on',
    parse: dashboardSwitch(),
    doc: 'serve the dashboard at / and the browser client at /join; what the dashboard shows follows --read-api (with the read or admin token pasted into the page: every client)',
  }),
  corsOrigin: option({ perProcess: true,
    arg: 'origin',
    default: [],
    repeatable: true,
    parse: list(text({ what: 'an origin such as https://viewer.example (scheme and host, no path), or *', pattern: /^(\*|https?:\/\/[^/\s]+)$/ })),
    defaultText: 'none',
    doc: 'an origin whose pages may load the round models cross-origin, e.g. https://viewer.example, or *; repeatable',
  }),
} as const;

/**
 * on | off. The dashboard's own access modes (public, token, auto) are gone:
 * the read rule (--read-api) decides for the dashboard as for the JSON API, so
 * an old value gets a message saying what it is now.
 */
function dashboardSwitch(): ValueParser<'on' | 'off'> {
  const base = choice(['on', 'off'] as const);
  const parse = (value: unknown): 'on' | 'off' => {
    if (value === 'public' || value === 'token' || value === 'auto') {
      throw new OptionValueError(`must be on or off: what the dashboard shows follows --read-api now, so "${value}" is --dashboard on${value === 'public' ? ' --read-api public' : ''} (docs/security.md)`);
    }
    return base(value);
  };
  return Object.assign(parse, { describe: base.describe, choices: base.choices ?? [] });
}
