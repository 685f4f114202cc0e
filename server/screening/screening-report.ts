/** Why an update was screened out: which rule, and a sentence with the measured value and the limit. */
export type ScreeningRule = 'non_finite_outputs' | 'far_from_global' | 'distance_outlier' | 'disagrees_with_others';

export interface ScreeningRejection {
  readonly rule: ScreeningRule;
  readonly reason: string;
}

/** What screening measured about one update (same order as the updates given), and its verdict. */
export interface UpdateScreening {
  /** False when a logit was NaN or infinite on the screening samples. */
  readonly finiteOutputs: boolean;
  /** Euclidean distance of all parameters from the global model. */
  readonly distance: number;
  /** distance / norm of the global model (NaN when that norm is 0). */
  readonly distanceToGlobalNorm: number;
  /** distance / median distance of the round. */
  readonly distanceRatio: number;
  /** (distance - median) / (1.4826 MAD): robust z-score within the round. */
  readonly distanceZ: number;
  /** Fraction of samples on which it predicts the class the other updates' ensemble predicts (NaN when it cannot be said). */
  readonly agreement: number;
  /** null when the update passed. */
  readonly rejection: ScreeningRejection | null;
}

export interface ScreeningReport {
  /** Calibration samples the updates were run on. */
  readonly samples: number;
  readonly globalNorm: number;
  readonly medianDistance: number;
  /** Whether there were enough updates for the rules that compare updates with each other. */
  readonly relativeRulesApplied: boolean;
  readonly updates: readonly UpdateScreening[];
  readonly seconds: number;
}
