import type * as tf from '@tensorflow/tfjs';
import type { AttributionSummary } from '../../common/attribution/summary.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import type { ChannelSpaces } from '../../common/model/channel-spaces.ts';
import type { NetworkTensors } from '../../common/model/forward.ts';
import type { LayerWeights, Network } from '../../common/model/network.ts';
import { MODEL_INPUT, type ModelSpec } from '../../common/model/spec.ts';
import type { SeededRandom } from '../../common/random/index.ts';
import type { ResolvedNeuronFusionOptions } from './fusion-options.ts';
import type { ChannelLevelReport, FusionLevelReport } from './fusion-report.ts';
import type { HiddenLayerGrouping } from './level-grouping.ts';
import type { SpaceGrouping } from './weighted-level.ts';

/** What the level loop (neuron-fusion.ts) carries from layer to layer. */
export interface LoopState {
  readonly fusedSpec: ModelSpec;
  readonly spaces: ChannelSpaces;
  /** The parents' own spaces (same structure, their widths). */
  readonly parentSpaces: readonly ChannelSpaces[];
  readonly parents: readonly Network[];
  readonly parentTensors: readonly NetworkTensors[];
  /** Per spec layer: its index into Network.layers, or -1. */
  readonly parameterIndex: readonly number[];
  /** Per spec layer: its index among the weighted layers, or -1. */
  readonly weightedIndex: readonly number[];
  readonly kernelShapes: readonly (readonly number[])[];
  readonly inShapes: readonly (readonly number[])[];
  readonly outShapes: readonly (readonly number[])[];
  /** The fused model's parameters, filled level by level. */
  readonly fusedParams: (LayerWeights | null)[];
  /** Values on the calibration samples, by layer, kept until their last reader is done. */
  readonly fusedValues: Map<number, tf.Tensor>;
  readonly parentValues: readonly Map<number, tf.Tensor>[];
  /** The calibration samples, [samples, ...inputShape]. */
  readonly input: tf.Tensor;
  readonly samples: number;
  /** Each grouped channel space's grouping (by space id). */
  readonly groupings: Map<number, SpaceGrouping>;
  readonly root: SeededRandom;
  readonly options: ResolvedNeuronFusionOptions;
  readonly importances: readonly AttributionSummary[];
  readonly groupHidden: HiddenLayerGrouping;
  /** Each parent's weighted-layer widths. */
  readonly parentWidths: readonly (readonly number[])[];
  readonly levels: FusionLevelReport[];
  readonly channelLevels: ChannelLevelReport[];
}

/** The value of tensor `from` (a layer, or the model input) in one model's value map. */
export function valueOf(state: Pick<LoopState, 'input'>, values: ReadonlyMap<number, tf.Tensor>, from: number): tf.Tensor {
  if (from === MODEL_INPUT) return state.input;
  const v = values.get(from);
  if (v === undefined) throw new FedfuseError('internal', `layer ${from}'s value was freed before its last reader`);
  return v;
}
