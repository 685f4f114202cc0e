import type { LayerWeights } from '../../common/model/network.ts';
import type { NeuronMixing } from './neuron-mixing.ts';

/**
 * The parents' own weights for each fused neuron of a level, expressed in the
 * fused model's inputs: the importance-weighted mean, over a group's members,
 * of each member's incoming weights, where a member's weight from its parent's
 * previous-layer neuron j lands on the fused neuron that j was grouped into
 * (summed when several of the parent's neurons went to the same one: if the
 * fused neuron stands for each of its members, the parent's pre-activation is
 * reproduced). With one neuron per parent in each group, matched by index, this
 * is exactly FedAvg's average of the layer.
 *
 * It is the prior the level's least squares is pulled toward
 * (RidgeSystem.solve with a prior): where the calibration inputs say little
 * (directions of X they do not span, e.g. 400 samples for a 785-column layer)
 * the fused weights keep what the parents learned instead of falling to zero.
 *
 * Kernel rows are (position, input channel) with the channel fastest, for
 * Dense (one position; or a flattened NHWC feature map, channel last) and
 * Conv2D (kernel cell, input channel) alike, so a row's channel is
 * `row % inputChannels` and only channels are remapped.
 */
export interface AlignedPriorInput {
  /** Each parent's weights of this layer. */
  readonly parentLayers: readonly LayerWeights[];
  /** Each parent's number of input channels (its previous weighted layer's width, or the input's channels). */
  readonly parentInputChannels: readonly number[];
  /** The fused layer's number of input channels. */
  readonly fusedInputChannels: number;
  /**
   * Fused neuron of every parent neuron of the previous weighted level
   * (concatenated in parent order), or null for the first level (inputs are shared).
   */
  readonly previousAssignment: Int32Array | null;
  /** How the fused neurons of this level combine the parents' neurons. */
  readonly mixing: NeuronMixing;
  /** Columns of the fused level's design matrix: fused kernel rows (+1 for the bias). */
  readonly columns: number;
  readonly useBias: boolean;
}

/** W0, columns x width (row-major, Float64), in the design matrix's column order (bias last). */
export function alignedPrior(input: AlignedPriorInput): Float64Array {
  const { parentLayers, mixing, columns, useBias, fusedInputChannels, previousAssignment } = input;
  const width = mixing.width;
  // Entries of each member, in member order.
  const entriesOf: number[][] = Array.from({ length: mixing.members }, () => []);
  for (let e = 0; e < mixing.member.length; e++) entriesOf[mixing.member[e]!]!.push(e);
  const prior = new Float64Array(columns * width);
  let member = 0;
  let previousOffset = 0;
  parentLayers.forEach((layer, k) => {
    const parentWidth = layer.kernelShape[layer.kernelShape.length - 1]!;
    const inChannels = input.parentInputChannels[k]!;
    const kernelRows = layer.kernel.length / parentWidth;
    // Fused kernel row of each of this parent's kernel rows.
    const fusedRow = new Int32Array(kernelRows);
    for (let r = 0; r < kernelRows; r++) {
      const position = Math.floor(r / inChannels);
      const channel = r - position * inChannels;
      const fusedChannel = previousAssignment === null ? channel : previousAssignment[previousOffset + channel]!;
      fusedRow[r] = position * fusedInputChannels + fusedChannel;
    }
    for (let i = 0; i < parentWidth; i++, member++) {
      for (const e of entriesOf[member]!) {
        const g = mixing.group[e]!;
        const coefficient = mixing.coefficient[e]!;
        for (let r = 0; r < kernelRows; r++) prior[fusedRow[r]! * width + g]! += coefficient * layer.kernel[r * parentWidth + i]!;
        if (useBias && layer.bias !== null) prior[(columns - 1) * width + g]! += coefficient * layer.bias[i]!;
      }
    }
    previousOffset += inChannels;
  });
  return prior;
}
