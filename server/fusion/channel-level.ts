import type { DepthwiseConv2dLayerSpec } from '../../common/model/spec.ts';
import { convDesignMatrix } from './design-matrix.ts';
import { RidgeSystem, type RidgeOptions } from './linalg/index.ts';
import { mixTargets, type NeuronMixing } from './neuron-mixing.ts';

/**
 * A per-channel level: a DepthwiseConv2D (one k x k filter per channel) or a
 * BatchNorm that no layer absorbed (a per-channel affine map, a 1x1 filter).
 * Its channels are those of its input's space, already grouped, so fused
 * channel g reads only the fused model's channel g: each channel is its own
 * tiny ridge least squares (k² + 1 columns) from that input channel to the
 * mix of the parents' outputs of its group, on the level's design rows.
 */
export interface ChannelLevelInput {
  /** The fused model's input to the level, row-major NHWC [samples, h, w, c] or [samples, c]. */
  readonly input: Float32Array;
  readonly samples: number;
  /** Shape of one input sample. */
  readonly inShape: readonly number[];
  /** The window of a depthwise conv; null for a BatchNorm (1x1, stride 1). */
  readonly window: Pick<DepthwiseConv2dLayerSpec, 'kernelSize' | 'strides' | 'padding'> | null;
  /** Output rows (sample, position) to fit on, or null for all. */
  readonly rowIndices: Int32Array | null;
  /** The parents' level outputs at the rows, rows x (Σ parent channels). */
  readonly targets: Float32Array;
  readonly mixing: NeuronMixing;
  readonly ridge: RidgeOptions;
}

export interface ChannelLevelFit {
  /** Per fused channel, its k² filter cells (row-major (ky, kx)). */
  readonly cells: readonly Float64Array[];
  /** Per fused channel, its fitted offset. */
  readonly offsets: Float64Array;
  /** ‖fit − target‖ / ‖target‖ over all channels at the rows. */
  readonly relativeError: number;
  readonly rows: number;
}

export function fitChannelLevel(c: ChannelLevelInput): ChannelLevelFit {
  const channels = c.inShape[c.inShape.length - 1]!;
  const positions = c.inShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const spatial = c.window === null ? null : { h: c.inShape[0]!, w: c.inShape[1]! };
  const rows = c.targets.length / c.mixing.members;
  const groupTargets = mixTargets(c.targets, rows, c.mixing);
  const one = new Float32Array(c.samples * positions);
  const cells: Float64Array[] = [];
  const offsets = new Float64Array(channels);
  let error = 0;
  let norm = 0;
  for (let g = 0; g < channels; g++) {
    for (let i = 0; i < one.length; i++) one[i] = c.input[i * channels + g]!;
    let design: { values: Float32Array; rows: number; columns: number };
    if (spatial === null || c.window === null) {
      // A BatchNorm: [x, 1] at the rows (every (sample, position) of the input, the output has the same ones).
      const count = c.rowIndices?.length ?? one.length;
      const values = new Float32Array(count * 2);
      for (let r = 0; r < count; r++) {
        values[2 * r] = one[c.rowIndices === null ? r : c.rowIndices[r]!]!;
        values[2 * r + 1] = 1;
      }
      design = { values, rows: count, columns: 2 };
    } else {
      design = convDesignMatrix(one, c.samples, [spatial.h, spatial.w, 1], { kind: 'conv2d', filters: 1, activation: 'linear', useBias: true, ...c.window }, c.rowIndices);
    }
    const target = new Float64Array(design.rows);
    for (let r = 0; r < design.rows; r++) target[r] = groupTargets[r * channels + g]!;
    const solution = RidgeSystem.create(design.values, design.rows, design.columns, c.ridge).solve(target, 1);
    cells.push(solution.subarray(0, design.columns - 1));
    offsets[g] = solution[design.columns - 1]!;
    for (let r = 0; r < design.rows; r++) {
      let fit = offsets[g]!;
      for (let k = 0; k < design.columns - 1; k++) fit += design.values[r * design.columns + k]! * solution[k]!;
      error += (fit - target[r]!) ** 2;
      norm += target[r]! ** 2;
    }
  }
  return { cells, offsets, relativeError: norm > 0 ? Math.sqrt(error / norm) : Math.sqrt(error), rows };
}

/** A depthwise kernel [k, k, C, 1] (row-major) from per-channel filter cells. */
export function depthwiseKernel(cells: readonly Float64Array[], kernelSize: number): Float32Array {
  const channels = cells.length;
  const kernel = new Float32Array(kernelSize * kernelSize * channels);
  cells.forEach((w, g) => {
    for (let cell = 0; cell < kernelSize * kernelSize; cell++) kernel[cell * channels + g] = w[cell]!;
  });
  return kernel;
}
