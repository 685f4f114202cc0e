import { FedfuseError } from '../errors/index.ts';
import { checkedLayerOutputShapes, isWeightedLayer, type ModelSpec } from '../model/spec.ts';

/**
 * Checks that a spec received from a peer describes a network that can exist:
 * every edge reads an earlier layer, every layer gets an input of the rank it
 * needs and produces a non-empty output, and there is at least one weighted
 * layer. common/model's shape helpers assume this, so it runs before any of
 * them sees a decoded spec.
 */
export function checkSpecComposes(spec: ModelSpec, what: string): void {
  if (!spec.layers.some(isWeightedLayer)) {
    throw new FedfuseError('invalid_argument', `${what}: needs at least one dense or conv2d layer`);
  }
  checkedLayerOutputShapes(spec, (i) => `${what}: layer ${i}`, 'shape_mismatch');
}
