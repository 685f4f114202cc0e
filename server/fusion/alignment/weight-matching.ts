import type { Network } from '../../../common/model/network.ts';
import { SeededRandom } from '../../../common/random/index.ts';
import { solveLinearAssignment } from '../assignment/index.ts';
import type { FusionOptions } from '../fusion-options.ts';
import type { FusionResult } from '../fusion-report.ts';
import { featureInnerProducts, weightFeatures } from './channel-features.ts';
import { fuseAlignedMean, movedChannels, type Aligned, type AlignmentContext } from './aligned-mean.ts';
import { permuteChannelSpace } from './permute-channels.ts';

/** Full sweeps over the spaces at most; a sweep that moves no channel ends the search first. */
export const WEIGHT_MATCHING_MAX_SWEEPS = 100;

/**
 * Weight matching (Ainsworth, Hayase, Srinivasa: Git Re-Basin, ICLR 2023):
 * each parent is permuted to maximise Σ over layers ⟨W_ref, P_out·W·P_inᵀ⟩
 * with parent 0, by coordinate descent: one channel space at a time (in a
 * seeded random order), holding the others fixed, the best permutation is a
 * linear assignment on the channels' weight inner products; sweeps repeat
 * until one moves nothing. Then the aligned parents are averaged. Needs no
 * data (the calibration set may be empty). Like the published method it is a
 * local search: on a permuted copy it can stop short of the exact
 * permutation (seen on 1 of 9 copies of a random 12-10-8-3 MLP, none of 9
 * at 16-16 or 64-32).
 */
export async function fuseWeightMatching(parents: readonly Network[], calibration: Float32Array, options: FusionOptions): Promise<FusionResult> {
  const rng = new SeededRandom(options.seed ?? 0);
  return fuseAlignedMean(parents, calibration, options, async (other, ctx) => matchWeights(other, ctx, rng), false);
}

function matchWeights(other: Network, ctx: AlignmentContext, rng: SeededRandom): Aligned {
  let net = other;
  let moved = 0;
  let sweeps = 0;
  while (sweeps < WEIGHT_MATCHING_MAX_SWEEPS) {
    sweeps++;
    let changed = false;
    for (const k of rng.permutation(ctx.free.length)) {
      const space = ctx.free[k]!;
      const width = ctx.spaces.spaces[space]!.width;
      const touches = ctx.touches[space]!;
      const similarity = featureInnerProducts(weightFeatures(ctx.reference, width, touches), weightFeatures(net, width, touches));
      // Maximise the similarity: minimise its negative (shifted to stay >= 0, which the solver does not need but keeps costs readable).
      let max = 0;
      for (const s of similarity) max = Math.max(max, s);
      const cost = Float64Array.from(similarity, (s) => max - s);
      const { columnOfRow } = solveLinearAssignment(cost, width, width);
      // Only a strict gain counts as a move: ties keep the current order, so the search ends.
      let gain = 0;
      for (let a = 0; a < width; a++) gain += similarity[a * width + columnOfRow[a]!]! - similarity[a * width + a]!;
      if (movedChannels(columnOfRow) === 0 || !(gain > 1e-9 * Math.max(1, Math.abs(max)))) continue;
      net = permuteChannelSpace(net, space, columnOfRow, ctx.spaces, ctx.touches);
      moved += movedChannels(columnOfRow);
      changed = true;
    }
    if (!changed) break;
  }
  return { network: net, sweeps, movedChannels: moved };
}
