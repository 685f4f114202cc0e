import { FedfuseError } from '../../common/errors/index.ts';

export interface DistillationOptions {
  /** Softmax temperature of teachers and student. FedDF distils at T = 1. Default 1. */
  readonly temperature: number;
  /** Adam's step size. Default 1e-3 (FedDF's). */
  readonly learningRate: number;
  /** Inputs per step. Default 64. */
  readonly batchSize: number;
  /** Upper bound on optimizer steps. Default 500. */
  readonly maxSteps: number;
  /** Held-out KL is measured every this many steps. Default 10. */
  readonly evaluateEvery: number;
  /** Stop after this many measurements without a new best held-out KL. Default 10 (100 steps). */
  readonly patience: number;
  /** Share of the inputs held out for early stopping (at least one sample either side). Default 0.2. */
  readonly validationFraction: number;
  /** Seeds the held-out split and the batch order. Default 0. */
  readonly seed: number;
}

/**
 * FedDF (Lin et al. 2020) distils with Adam at 1e-3 and early stopping on a
 * held-out part of the unlabelled set; its step budget (10^4) is for tens of
 * thousands of public samples. The calibration sets here are a few hundred
 * samples, which 500 steps of 64 cover about a hundred times; the held-out
 * KL, not the budget, ends a distillation (measured in docs/benchmarks.md).
 */
export const DEFAULT_DISTILLATION_OPTIONS: DistillationOptions = {
  temperature: 1,
  learningRate: 1e-3,
  batchSize: 64,
  maxSteps: 500,
  evaluateEvery: 10,
  patience: 10,
  validationFraction: 0.2,
  seed: 0,
};

/** What a distillation did. KL values are the held-out mean T²·KL(teachers ‖ student). */
export interface DistillationReport {
  readonly steps: number;
  /** The step whose weights were returned (0 = the student as given). */
  readonly bestStep: number;
  readonly stoppedEarly: boolean;
  readonly heldOutSamples: number;
  readonly heldOutKlBefore: number;
  readonly heldOutKlAfter: number;
  readonly seconds: number;
}

export function validateDistillationOptions(o: DistillationOptions): void {
  const fail = (message: string): never => {
    throw new FedfuseError('invalid_argument', `distillation options: ${message}`);
  };
  if (!(Number.isFinite(o.temperature) && o.temperature > 0)) fail(`temperature must be > 0, got ${o.temperature}`);
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) fail(`learningRate must be > 0, got ${o.learningRate}`);
  for (const [name, v] of [['batchSize', o.batchSize], ['maxSteps', o.maxSteps], ['evaluateEvery', o.evaluateEvery], ['patience', o.patience]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) fail(`${name} must be a positive integer, got ${v}`);
  }
  if (!(o.validationFraction > 0 && o.validationFraction < 1)) fail(`validationFraction must be in (0, 1), got ${o.validationFraction}`);
  if (!Number.isSafeInteger(o.seed)) fail(`seed must be an integer, got ${o.seed}`);
}
