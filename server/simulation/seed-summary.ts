import type { RunResult } from './simulation-results.ts';

/**
 * Numbers over the seeds of one arm: mean and sample standard deviation
 * (divided by n − 1; null with a single seed), over the seeds where the
 * value exists.
 */
export interface Spread {
  readonly mean: number | null;
  readonly std: number | null;
  readonly n: number;
}

export function spread(values: readonly (number | null)[]): Spread {
  const v = values.filter((x): x is number => x !== null);
  if (v.length === 0) return { mean: null, std: null, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length < 2 ? null : Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1));
  return { mean, std, n: v.length };
}

export interface ArmRoundSummary {
  readonly round: number;
  readonly accuracy: Spread;
  readonly loss: Spread;
  readonly ensembleAccuracy: Spread;
  readonly trainingModelAccuracy: Spread;
}

/** One arm (an aggregator variant) over its seeds. */
export interface ArmSummary {
  readonly label: string;
  readonly aggregator: string;
  readonly seeds: readonly number[];
  /** Round 0 is the initial model. */
  readonly rounds: readonly ArmRoundSummary[];
  readonly finalAccuracy: Spread;
  readonly bestAccuracy: Spread;
  /** Per seed, in seed order: the first round at the target, or null. */
  readonly roundsToTarget: readonly (number | null)[];
  readonly wallSeconds: Spread;
  readonly fusionSecondsPerRound: Spread;
  readonly megabytesMoved: Spread;
}

/** The arms of `runs` in the order they first appear, each over every seed it ran with. */
export function summariseArms(runs: readonly RunResult[]): ArmSummary[] {
  const labels = [...new Set(runs.map((r) => r.label))];
  return labels.map((label) => {
    const arm = runs.filter((r) => r.label === label);
    const maxRound = Math.max(0, ...arm.map((r) => r.rounds.length));
    const at = (r: RunResult, round: number) => r.rounds.find((x) => x.round === round);
    const rounds: ArmRoundSummary[] = [
      { round: 0, accuracy: spread(arm.map((r) => r.initialAccuracy)), loss: spread([]), ensembleAccuracy: spread([]), trainingModelAccuracy: spread([]) },
      ...Array.from({ length: maxRound }, (_, k) => k + 1).map((round) => ({
        round,
        accuracy: spread(arm.map((r) => at(r, round)?.accuracy ?? null)),
        loss: spread(arm.map((r) => at(r, round)?.loss ?? null)),
        ensembleAccuracy: spread(arm.map((r) => at(r, round)?.ensembleAccuracy ?? null)),
        trainingModelAccuracy: spread(arm.map((r) => at(r, round)?.trainingModelAccuracy ?? null)),
      })),
    ];
    return {
      label,
      aggregator: arm[0]!.aggregator,
      seeds: arm.map((r) => r.seed),
      rounds,
      finalAccuracy: spread(arm.map((r) => r.finalAccuracy)),
      bestAccuracy: spread(arm.map((r) => r.bestAccuracy)),
      roundsToTarget: arm.map((r) => r.roundsToTarget),
      wallSeconds: spread(arm.map((r) => r.timing.wallSeconds)),
      fusionSecondsPerRound: spread(arm.map((r) => (r.rounds.length > 0 ? r.timing.fusionSeconds / r.rounds.length : null))),
      megabytesMoved: spread(arm.map((r) => r.bytes.total / 1e6)),
    };
  });
}
