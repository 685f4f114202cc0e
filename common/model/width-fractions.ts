import { FedfuseError } from '../errors/index.ts';
import { channelSpaces } from './channel-spaces.ts';
import { layerWidths, weightedLayerIndices, type ModelSpec } from './spec.ts';

/**
 * Heterogeneous clients train a fraction p of the global model's width: every
 * hidden weighted level (Dense units, Conv2D filters) keeps ceil(p · width)
 * neurons, at least 1; the input and the output classes keep theirs. Levels
 * an add joins are one channel space of one width, so they shrink together
 * (same width in, same width out); BatchNorm and depthwise convolutions are
 * per channel and follow their input's space. A level whose channels a
 * reshape moves into positions is pinned (channel-spaces.ts): it cannot
 * shrink, and a fraction below 1 is refused for such a model.
 */
export function hiddenWidthsAtFraction(spec: ModelSpec, fraction: number): number[] {
  if (!(fraction > 0 && fraction <= 1)) throw new FedfuseError('invalid_argument', `a width fraction must be in (0, 1], got ${fraction}`);
  const widths = layerWidths(spec).slice(0, -1);
  if (fraction === 1) return widths;
  const spaces = channelSpaces(spec);
  const weighted = weightedLayerIndices(spec);
  return widths.map((w, l) => {
    const space = spaces.spaces[spaces.spaceOfLayer[weighted[l]!]!]!;
    if (space.pinned !== null) {
      throw new FedfuseError(
        'invalid_argument',
        `width fraction ${fraction}: layer ${weighted[l]} (${spec.layers[weighted[l]!]!.kind}) cannot shrink, its channels feed a reshape that moves them into positions`,
      );
    }
    // The 1e-9 keeps 0.5 · 256 at 128 where the product rounds up a hair.
    return Math.max(1, Math.ceil(fraction * w - 1e-9));
  });
}
