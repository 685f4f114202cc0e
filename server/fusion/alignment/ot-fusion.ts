import type { Network } from '../../../common/model/network.ts';
import { solveLinearAssignment } from '../assignment/index.ts';
import { DEFAULT_CONV_ROW_BUDGET, type FusionOptions } from '../fusion-options.ts';
import type { FusionResult } from '../fusion-report.ts';
import { validateSamples } from '../validate-fusion-inputs.ts';
import { activationFeatures, featureSquaredDistances } from './channel-features.ts';
import { fuseAlignedMean, movedChannels, type AlignmentContext } from './aligned-mean.ts';
import { permuteChannelSpace } from './permute-channels.ts';

/**
 * OT fusion (Singh & Jaggi, "Model Fusion via Optimal Transport", NeurIPS
 * 2020), activation-based: for each channel space, the transport between
 * parent k's channels and parent 0's with uniform marginals and the squared
 * distance of their activations on the calibration set as ground cost, then
 * parent k's weights moved through it and averaged with the others. Between
 * equal widths the exact transport plan is a permutation (a vertex of the
 * Birkhoff polytope), which the linear assignment solver finds exactly, so
 * the transported parent computes what it computed before. A parent's
 * activations do not depend on how its own channels are ordered, so each
 * space is matched once, independently. Unequal widths are not handled
 * (refused: use kf-linear).
 */
export async function fuseOptimalTransport(parents: readonly Network[], calibration: Float32Array, options: FusionOptions): Promise<FusionResult> {
  const rowBudget = options.convRowBudget ?? DEFAULT_CONV_ROW_BUDGET;
  const seed = options.seed ?? 0;
  const referenceFeatures = new Map<number, Awaited<ReturnType<typeof activationFeatures>>>();
  return fuseAlignedMean(
    parents,
    calibration,
    options,
    async (other, ctx: AlignmentContext) => {
      const samples = validateSamples(calibration, other.spec, 'calibration set', false);
      let net = other;
      let moved = 0;
      for (const space of ctx.free) {
        const width = ctx.spaces.spaces[space]!.width;
        let reference = referenceFeatures.get(space);
        if (reference === undefined) {
          reference = await activationFeatures(ctx.reference, calibration, samples, ctx.spaces, space, rowBudget, seed + space);
          referenceFeatures.set(space, reference);
        }
        const own = await activationFeatures(other, calibration, samples, ctx.spaces, space, rowBudget, seed + space);
        const { columnOfRow } = solveLinearAssignment(featureSquaredDistances(reference, own), width, width);
        net = permuteChannelSpace(net, space, columnOfRow, ctx.spaces, ctx.touches);
        moved += movedChannels(columnOfRow);
      }
      return { network: net, sweeps: 1, movedChannels: moved };
    },
    true,
  );
}
