import { flagLayer, resolveOptions, type OptionValues } from './option-table.ts';
import { SERVER_OPTIONS } from './server-options.ts';

/**
 * The options of `fedfuse dashboard` (the read-only viewer of a database):
 * the server's own entries, so each flag keeps one parser, default and
 * meaning; only the database's line of help says what the viewer does with it.
 */
export const VIEWER_OPTIONS = {
  db: { ...SERVER_OPTIONS.db, arg: 'file', doc: 'SQLite file whose runs to show; opened read-only (nothing is written, not even a migration)', deprecatedKeys: [] },
  port: SERVER_OPTIONS.port,
  host: SERVER_OPTIONS.host,
  dashboard: SERVER_OPTIONS.dashboard,
  readApi: SERVER_OPTIONS.readApi,
  readToken: SERVER_OPTIONS.readToken,
  readTokenFile: SERVER_OPTIONS.readTokenFile,
  adminToken: { ...SERVER_OPTIONS.adminToken, doc: 'reads per-client data like --read-token (nothing here mutates anything); prefer $FEDFUSE_ADMIN_TOKEN' },
  adminGuessesPerMinute: SERVER_OPTIONS.adminGuessesPerMinute,
  corsOrigin: SERVER_OPTIONS.corsOrigin,
  maxConnectionsPerAddress: SERVER_OPTIONS.maxConnectionsPerAddress,
  maxConnections: SERVER_OPTIONS.maxConnections,
  logLevel: SERVER_OPTIONS.logLevel,
} as const;

export type ViewerConfig = OptionValues<typeof VIEWER_OPTIONS>;

/** The flags as commander parsed them (strings): defaults < env < flags, each value checked. */
export function viewerConfigFrom(flags: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): ViewerConfig {
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  return resolveOptions(VIEWER_OPTIONS, [flagLayer(given)], env);
}
