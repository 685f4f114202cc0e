import { FedfuseError } from '../errors/index.ts';
import { SeededRandom } from '../random/index.ts';
import { apportion } from './apportion.ts';
import { groupByLabel } from './label-groups.ts';
import { appendRange } from './append-range.ts';

export interface HoldoutOptions {
  /** Samples held out for testing the global model. */
  readonly testSize: number;
  /** Samples given to the server for fusion (method.md: "a few hundred to a few thousand"). */
  readonly calibrationSize: number;
  readonly seed: number;
}

/** Three disjoint index sets that together cover the input; each sorted ascending. */
export interface Holdout {
  readonly test: number[];
  readonly calibration: number[];
  /** Everything else: the pool that clients are partitioned from. */
  readonly rest: number[];
}

/**
 * Carves a calibration set and a test set out of a labelled sample set,
 * leaving the rest for the clients (`partition(labels, n, scheme, seed, rest)`).
 *
 * - Calibration is class-balanced: per-class counts as equal as possible
 *   (they differ by at most one, except that a class too small to give its
 *   share gives all it has and the others make up the difference). The paper
 *   fuses with 400 class-balanced samples; which classes get the extra one
 *   when the size does not divide evenly is drawn at random.
 * - Test is stratified: drawn from what calibration left, with per-class
 *   counts proportional to the class sizes there (largest remainder), so test
 *   accuracy weighs classes as the data does and has no sampling noise in its
 *   class mix.
 * Within a class, the samples taken are a seeded random choice.
 */
export function carveHoldout(labels: ArrayLike<number>, options: HoldoutOptions): Holdout {
  const { testSize, calibrationSize, seed } = options;
  for (const [name, v] of [['testSize', testSize], ['calibrationSize', calibrationSize]] as const) {
    if (!Number.isInteger(v) || v < 0) throw invalid(`${name} must be a non-negative integer, got ${v}`);
  }
  if (!Number.isSafeInteger(seed)) throw invalid(`seed must be an integer, got ${seed}`);
  if (testSize + calibrationSize > labels.length) {
    throw invalid(`test (${testSize}) and calibration (${calibrationSize}) sets need ${testSize + calibrationSize} samples, there are ${labels.length}`);
  }
  const rng = new SeededRandom(seed);
  const groups = groupByLabel(labels).map((g) => rng.shuffle([...g.indices]));

  const calibrationCounts = balancedCounts(calibrationSize, groups.map((g) => g.length), rng);
  const afterCalibration = groups.map((g, c) => g.length - calibrationCounts[c]!);
  const testCounts = apportion(testSize, afterCalibration);

  const calibration: number[] = [];
  const test: number[] = [];
  const rest: number[] = [];
  groups.forEach((g, c) => {
    const cal = calibrationCounts[c]!;
    const tst = testCounts[c]!;
    appendRange(calibration, g, 0, cal);
    appendRange(test, g, cal, cal + tst);
    appendRange(rest, g, cal + tst);
  });
  const ascending = (a: number, b: number): number => a - b;
  return { test: test.sort(ascending), calibration: calibration.sort(ascending), rest: rest.sort(ascending) };
}

/**
 * `total` split over classes as evenly as their sizes allow (water filling):
 * each round gives every class that still has samples an equal part of what
 * is left, capped by its size; the last few units go to random classes.
 */
function balancedCounts(total: number, sizes: readonly number[], rng: SeededRandom): number[] {
  const counts = sizes.map(() => 0);
  let left = total;
  while (left > 0) {
    const open = sizes.map((_, c) => c).filter((c) => counts[c]! < sizes[c]!);
    const each = Math.floor(left / open.length);
    if (each === 0) {
      for (const c of rng.shuffle(open).slice(0, left)) counts[c]!++;
      break;
    }
    for (const c of open) {
      const give = Math.min(each, sizes[c]! - counts[c]!);
      counts[c]! += give;
      left -= give;
    }
  }
  return counts;
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}
