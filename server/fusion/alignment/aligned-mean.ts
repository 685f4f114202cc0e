import { channelSpaces, type ChannelSpaces } from '../../../common/model/channel-spaces.ts';
import type { Network } from '../../../common/model/network.ts';
import { layerWidths } from '../../../common/model/spec.ts';
import { FedfuseError } from '../../../common/errors/index.ts';
import type { FusionOptions } from '../fusion-options.ts';
import type { AlignmentReport, FusionResult } from '../fusion-report.ts';
import { weightedParameterSum } from '../parameter-average.ts';
import { assertEqualWidths, parameterMeanCoefficients, validateParents, validateSamples } from '../validate-fusion-inputs.ts';
import { spaceTouches, type SpaceTouch } from './permute-channels.ts';

/** What an aligner gets: the reference (parent 0), one other parent, and the spaces it may permute. */
export interface AlignmentContext {
  readonly reference: Network;
  readonly spaces: ChannelSpaces;
  readonly touches: SpaceTouch[][];
  /** The spaces whose channels may be re-ordered (not the input, the classes, or a channel-moving reshape). */
  readonly free: readonly number[];
}

/** Parent `other` re-ordered to line up with the reference, with how many sweeps it took and how many channels moved. */
export interface Aligned {
  readonly network: Network;
  readonly sweeps: number;
  readonly movedChannels: number;
}

export type Aligner = (other: Network, ctx: AlignmentContext) => Promise<Aligned>;

/**
 * The alignment baselines' common shape (OT fusion, weight matching): every
 * parent is re-ordered, channel space by channel space, to line up with
 * parent 0, then the aligned parents' parameters are averaged (weighted by
 * numExamples when given, else equally). Permutations only: the parents
 * must share one spec (equal widths), and each aligned parent computes
 * exactly what it computed before. BatchNorm statistics are averaged like
 * every other parameter (not re-estimated).
 */
export async function fuseAlignedMean(parents: readonly Network[], calibration: Float32Array, options: FusionOptions, align: Aligner, needsCalibration: boolean): Promise<FusionResult & { report: { alignment: AlignmentReport } }> {
  const started = performance.now();
  const { samples, coefficients } = validateAlignedMeanInputs(parents, calibration, options, needsCalibration);
  const spec = parents[0]!.spec;
  const spaces = channelSpaces(spec);
  const ctx: AlignmentContext = {
    reference: parents[0]!,
    spaces,
    touches: spaceTouches(spec, spaces),
    free: spaces.spaces.flatMap((s, id) => (s.pinned === null ? [id] : [])),
  };
  const aligned: Network[] = [parents[0]!];
  const perParent: AlignmentReport['parents'][number][] = [{ sweeps: 0, movedChannels: 0 }];
  for (const other of parents.slice(1)) {
    const result = await align(other, ctx);
    aligned.push(result.network);
    perParent.push({ sweeps: result.sweeps, movedChannels: result.movedChannels });
  }
  const network = weightedParameterSum(aligned, coefficients);
  return {
    network,
    report: {
      method: options.method,
      parents: parents.length,
      calibrationSamples: samples,
      importance: 'none',
      seed: options.seed ?? 0,
      hiddenWidths: layerWidths(spec).slice(0, -1),
      levels: [],
      alignment: { reference: 0, spaces: ctx.free.length, parents: perParent },
      totalSeconds: (performance.now() - started) / 1000,
    },
  };
}

/** Checks what OT fusion and weight matching need (one spec, widths kept, whole calibration samples; at least one for OT) before any work. */
export function validateAlignedMeanInputs(parents: readonly Network[], calibration: Float32Array, options: FusionOptions, needsCalibration = options.method === 'ot-fusion'): { samples: number; coefficients: number[] } {
  validateParents(parents);
  assertEqualWidths(parents, options.method);
  if (options.targetHiddenWidths !== undefined && options.targetHiddenWidths.join(',') !== layerWidths(parents[0]!.spec).slice(0, -1).join(',')) {
    throw new FedfuseError('invalid_argument', `${options.method} keeps the parents' widths (it permutes and averages); use kf-linear for other widths`);
  }
  const samples = validateSamples(calibration, parents[0]!.spec, 'calibration set', !needsCalibration);
  return { samples, coefficients: alignedMeanCoefficients(parents, options) };
}

/** Equal weights without numExamples, else FedAvg's n_k / Σ n (validated once, in parameterMeanCoefficients). */
function alignedMeanCoefficients(parents: readonly Network[], options: FusionOptions): number[] {
  return options.numExamples === undefined ? parents.map(() => 1 / parents.length) : parameterMeanCoefficients(parents, { ...options, method: 'fedavg' });
}

/** Whether an assignment moves anything; how many channels. */
export function movedChannels(sourceOf: Int32Array): number {
  let moved = 0;
  sourceOf.forEach((s, j) => {
    if (s !== j) moved++;
  });
  return moved;
}
