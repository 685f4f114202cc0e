import { randomUUID } from 'node:crypto';
import { FedfuseError } from '../../common/errors/index.ts';
import type { RunRecord } from '../store/index.ts';
import { flagOf } from './option-table.ts';
import type { ExplicitServerConfig, ServerConfig } from './server-config.ts';
import { SERVER_OPTIONS } from './server-options.ts';

/** The runs a database holds, as far as choosing one needs (an AsyncRoundStore). */
export interface StoredRuns {
  getRun(runId: string): Promise<RunRecord | undefined>;
  findRunningRun(): Promise<RunRecord | undefined>;
  latestRun(): Promise<RunRecord | undefined>;
}

export interface SelectedRun {
  readonly runId: string;
  /** new: created on start; resume: a running run carries on; ended: a finished, failed or stopped run is shown. */
  readonly kind: 'new' | 'resume' | 'ended';
  /** The config to run with: the stored run's settings for every run-defining option the user did not set. */
  readonly config: ServerConfig;
}

/**
 * Which run `fedfuse server` serves, chosen explicitly and safely:
 * - `--run-id ID`: that run (resumed or shown), or a new run with that id;
 * - `--new-run on`: a new run, whatever the database holds;
 * - otherwise the newest running run (resumed), else the newest ended run
 *   (shown as it ended: its rounds and models stay reachable, nothing is
 *   replaced), else a new run.
 * A stored run keeps the settings it was started with: an option that defines
 * the run (every option not marked perProcess in server-options.ts) set to
 * another value than the stored one is an error naming each difference, and
 * one left unset takes the stored value. Reads only: the run row of a new run
 * is written once the server listens.
 */
export async function selectRun(runs: StoredRuns, { config, setBy }: ExplicitServerConfig): Promise<SelectedRun> {
  if (config.newRun && config.runId !== null) throw new FedfuseError('invalid_argument', '--new-run on and --run-id both choose the run: give one of them');
  const stored = config.runId !== null ? await runs.getRun(config.runId) : config.newRun ? undefined : ((await runs.findRunningRun()) ?? (await runs.latestRun()));
  if (stored === undefined) return { runId: config.runId ?? randomUUID(), kind: 'new', config };
  return { runId: stored.id, kind: stored.state === 'running' ? 'resume' : 'ended', config: reconcile(stored, config, setBy) };
}

/** The option keys that define a run. */
export const RUN_DEFINING_OPTIONS = (Object.keys(SERVER_OPTIONS) as (keyof ServerConfig)[]).filter((k) => SERVER_OPTIONS[k].perProcess !== true);

function reconcile(run: RunRecord, config: ServerConfig, setBy: ReadonlyMap<keyof ServerConfig, string>): ServerConfig {
  const recorded = run.config !== null && typeof run.config === 'object' && !Array.isArray(run.config) ? (run.config as Record<string, unknown>) : {};
  const merged: Record<string, unknown> = { ...config };
  const differences: string[] = [];
  for (const key of RUN_DEFINING_OPTIONS) {
    if (!Object.hasOwn(recorded, key)) continue; // recorded by a version without the option: the current value stands
    let storedValue: unknown;
    try {
      storedValue = SERVER_OPTIONS[key].parse(recorded[key]);
    } catch {
      continue; // a value this version no longer reads: the current value stands
    }
    const where = setBy.get(key);
    if (where === undefined) merged[key] = storedValue;
    else if (JSON.stringify(storedValue) !== JSON.stringify(config[key])) differences.push(`${where} is ${show(config[key])}, the run has ${show(storedValue)}`);
  }
  if (differences.length > 0) {
    throw new FedfuseError(
      'invalid_argument',
      `run ${run.id} (${run.state}, round ${run.currentRound}) was started with other settings: ${differences.join('; ')}. ` +
        `Leave these out (the run keeps its own) or start another run with ${flagOf('newRun')} on`,
    );
  }
  return merged as ServerConfig;
}

function show(value: unknown): string {
  return typeof value === 'boolean' ? (value ? 'on' : 'off') : JSON.stringify(value);
}
