import { FedfuseError } from '../../common/errors/index.ts';

/**
 * How updates are screened before fusion. The defaults come from
 * measurements (docs/reliability.md, "Poisoned updates"; `npm run
 * bench:poisoning`): 2,310 honest updates of MNIST clients on Dirichlet 0.1
 * partitions, MLP 784-256-10, FedAvg and KF-linear, next to freshly
 * initialised (random) models and honest updates scaled by 100.
 */
export interface ScreeningOptions {
  /** Screen at all. Default true. */
  readonly enabled: boolean;
  /** Calibration samples the updates are run on (evenly spread over the set). Default 256. */
  readonly samples: number;
  /**
   * Reject an update whose parameters lie farther than this many times the
   * global model's norm from the global model. Honest updates measured at
   * most 0.27; x100 scaling gives 99-101. Applies whatever the number of
   * updates (it needs no peers). Default 10.
   */
  readonly maxDistanceToGlobalNorm: number;
  /**
   * Reject an update that moved the model more than this many times the
   * round's median distance, when its robust z-score (median / MAD) is also
   * above `maxDistanceZ`. Honest updates measured at most 1.85 x; a random
   * model at least 7.8 x and z 12. The z-score alone is not enough: honest
   * updates reached z 7.2 in a round whose distances were tightly clustered
   * (small MAD), at 1.36 x the median. Defaults 4 and 6.
   */
  readonly maxDistanceRatio: number;
  readonly maxDistanceZ: number;
  /**
   * The relative rule compares an update with the others: with few updates
   * the median is one client's value and a big honest client would stand
   * out, so it applies from this many updates on. Default 5.
   */
  readonly minUpdatesForRelative: number;
  /**
   * Reject an update whose predictions agree with the ensemble of the other
   * updates on fewer than this fraction of the samples. Off (0) by default:
   * honest clients on Dirichlet 0.1 data measured as low as 0.00 (they
   * predict the few classes they hold), below a random model (0.03-0.25).
   * Recorded either way, for the audit. Default 0.
   */
  readonly minAgreement: number;
}

export const DEFAULT_SCREENING_OPTIONS: ScreeningOptions = {
  enabled: true,
  samples: 256,
  maxDistanceToGlobalNorm: 10,
  maxDistanceRatio: 4,
  maxDistanceZ: 6,
  minUpdatesForRelative: 5,
  minAgreement: 0,
};

/**
 * Defaults, overridden by what is given; every value checked, with its name
 * in the message (`nameOf` lets the server config say its own key names).
 */
export function resolveScreeningOptions(
  given: Partial<ScreeningOptions> = {},
  nameOf: (key: keyof ScreeningOptions) => string = (key) => `screening option ${key}`,
): ScreeningOptions {
  const o: ScreeningOptions = { ...DEFAULT_SCREENING_OPTIONS, ...withoutUndefined(given) };
  const bad = (key: keyof ScreeningOptions, what: string): never => {
    throw new FedfuseError('invalid_argument', `${nameOf(key)}: ${what}, got ${JSON.stringify(o[key])}`);
  };
  if (typeof o.enabled !== 'boolean') bad('enabled', 'must be true or false');
  if (!Number.isInteger(o.samples) || o.samples < 1) bad('samples', 'must be an integer >= 1');
  for (const key of ['maxDistanceToGlobalNorm', 'maxDistanceRatio', 'maxDistanceZ'] as const) {
    if (typeof o[key] !== 'number' || !(o[key] > 0)) bad(key, 'must be a positive number (a very large one disables the rule)');
  }
  if (o.maxDistanceRatio <= 1) bad('maxDistanceRatio', 'must be above 1 (at 1, half of every round would be rejected)');
  if (!Number.isInteger(o.minUpdatesForRelative) || o.minUpdatesForRelative < 3) bad('minUpdatesForRelative', 'must be an integer >= 3 (a median needs a majority)');
  if (typeof o.minAgreement !== 'number' || !(o.minAgreement >= 0 && o.minAgreement <= 1)) bad('minAgreement', 'must be in [0, 1]');
  return o;
}

function withoutUndefined<T extends object>(o: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
