import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import type { NetworkTensors } from '../model/forward.ts';
import { weightedLayerIndices } from '../model/spec.ts';
import { ablationByMasking } from './ablation-by-masking.ts';
import { ablationByNextLayerUpdate, nextLayerUpdateApplies } from './ablation-by-next-layer-update.ts';
import { forwardLayerOutputs, headIsLinear, layerOutputGradients, sumOverPositions } from './layer-outputs.ts';
import { batchSizeForBudget, type NeuronAttributor } from './neuron-attributor.ts';
import type { SampleChunk } from './samples.ts';

/**
 * How ablation evaluates "the network with neuron j zeroed":
 * - 'fastest' (default): per layer, the cheapest exact way —
 *   1. closed form where the rest of the network is linear in the layer (the
 *      last layer, or a layer feeding only linear layers: e.g. the hidden layer
 *      of a one-hidden-layer MLP): the change is exactly gradient × value,
 *      summed over a channel's positions;
 *   2. else, when the next weighted layer is a Dense (directly or after a
 *      flatten): its pre-activation minus neuron j's contribution, a rank-one
 *      update, then only the layers after it are re-run
 *      (ablation-by-next-layer-update.ts);
 *   3. else masking (ablation-by-masking.ts).
 * - 'masking': masking everywhere, the plain definition; the reference the
 *   other two are tested against, and the general path's timing.
 */
export type AblationStrategy = 'fastest' | 'masking';

export interface AblationOptions {
  readonly strategy?: AblationStrategy;
}

type LayerPath = 'closed-form' | 'next-layer-update' | 'masking';

/**
 * Feature ablation of neurons: F(x) − F(x with neuron j's output set to 0), for
 * every neuron j of every weighted layer (a Conv2D channel is zeroed at all its
 * positions, since the channel is the neuron). The score is the mean |change|.
 * Never one forward pass per neuron per sample: all neurons of a block are
 * evaluated in one batched pass (see the two helpers).
 */
export function ablationAttributor(net: NetworkTensors, options: AblationOptions = {}): NeuronAttributor {
  const strategy = options.strategy ?? 'fastest';
  if (strategy !== 'fastest' && strategy !== 'masking') {
    throw new FedfuseError('invalid_argument', `unknown ablation strategy "${String(strategy)}"`);
  }
  const paths = weightedLayerIndices(net.spec).map((_, layer): LayerPath => {
    if (strategy === 'masking') return 'masking';
    if (headIsLinear(net.spec, layer)) return 'closed-form';
    return nextLayerUpdateApplies(net.spec, layer) ? 'next-layer-update' : 'masking';
  });
  // Linear heads are a suffix of the network (a nonlinear layer makes every earlier head nonlinear).
  const firstClosedForm = paths.indexOf('closed-form');
  return {
    defaultBatchSize: batchSizeForBudget(net.spec, 1),
    needsLabels: true,
    attribute: (chunk: SampleChunk) =>
      tf.tidy(() => {
        const outputs = forwardLayerOutputs(net, chunk.inputs);
        const grads = firstClosedForm === -1 ? [] : layerOutputGradients(net, chunk.inputs, outputs, chunk.targetMask, firstClosedForm);
        return outputs.map((h, layer) => {
          switch (paths[layer]!) {
            case 'closed-form':
              return sumOverPositions(tf.mul(grads[layer - firstClosedForm]!, h));
            case 'next-layer-update':
              return ablationByNextLayerUpdate(net, layer, h, chunk.targetMask);
            case 'masking':
              return ablationByMasking(net, layer, h, chunk.targetMask, chunk.inputs);
          }
        });
      }),
    dispose: () => {},
  };
}
