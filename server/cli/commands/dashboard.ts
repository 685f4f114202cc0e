import type { Command } from 'commander';
import { pino } from 'pino';
import { FedfuseError } from '../../../common/errors/index.ts';
import { resolveReadToken, VIEWER_OPTIONS, viewerConfigFrom } from '../../config/index.ts';
import { isPostgresUrl, openStore } from '../../store/index.ts';
import { createViewerServer } from '../../viewer-app.ts';
import { addTableFlags } from './table-flags.ts';

export function registerDashboardCommand(program: Command): void {
  const command = program
    .command('dashboard')
    .summary('show a database read-only: the dashboard, the JSON API and every round model, with no run served')
    .description(
      'Serves the dashboard (/), the read-only HTTP API and the round models of the runs stored in a SQLite file, ' +
        'without running a round: for looking at a finished run or an old database. The file is opened read-only ' +
        '(it must exist and be at the current schema version) and no client can connect.',
    );
  addTableFlags(command, VIEWER_OPTIONS).action(async (flags: Record<string, unknown>) => {
    await runViewer(flags);
  });
}

async function runViewer(flags: Record<string, unknown>): Promise<void> {
  const config = viewerConfigFrom(flags);
  if (isPostgresUrl(config.db)) throw new FedfuseError('invalid_argument', '--db: fedfuse dashboard reads SQLite files; a PostgreSQL run is shown by its fedfuse server');
  const readToken = resolveReadToken(config, config.adminToken);
  const log = pino({ level: config.logLevel, base: { service: 'fedfuse' } });
  const store = await openStore(config.db, { sqlite: { readonly: true } });
  const access = config.dashboard;
  const viewer = createViewerServer(store, {
    access,
    adminToken: config.adminToken,
    readApi: { mode: config.readApi, readToken },
    guessLimit: { burst: config.adminGuessesPerMinute, perMinute: config.adminGuessesPerMinute },
    corsOrigins: config.corsOrigin,
    connectionLimits: { maxConnectionsPerAddress: config.maxConnectionsPerAddress, maxConnections: config.maxConnections },
    logRefusal: (r) => log.info({ event: 'refused', stage: r.stage, code: r.code, remoteAddress: r.remoteAddress }, `refused ${r.stage} at ${r.remoteAddress}: ${r.code}: ${r.message}`),
  });
  const url = await viewer.listen(config.port, config.host);
  const runs = (await store.listRuns()).length;
  log.info({ event: 'listening', url, database: config.db, runs, access, readApi: config.readApi }, `fedfuse dashboard (read-only) of ${config.db}: ${runs} run(s) at ${url}/ (read API ${config.readApi})`);
  process.stdout.write(`FEDFUSE_LISTENING ${url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await viewer.close();
  await store.close();
}
