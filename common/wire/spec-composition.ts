import { FedfuseError } from '../errors/index.ts';
import { activationShapes, isWeightedLayer, type ModelSpec } from '../model/spec.ts';

/**
 * Checks that a spec received from a peer describes a network that can exist:
 * every layer gets an input of the rank it needs and produces a non-empty
 * output, and there is at least one weighted layer. common/model's shape
 * helpers assume this (they would compute NaN sizes for a conv after a dense),
 * so it runs before any of them sees a decoded spec.
 */
export function checkSpecComposes(spec: ModelSpec, what: string): void {
  if (!spec.layers.some(isWeightedLayer)) {
    throw new FedfuseError('invalid_argument', `${what}: needs at least one dense or conv2d layer`);
  }
  let rank = spec.inputShape.length;
  spec.layers.forEach((layer, i) => {
    if (layer.kind === 'dense' && rank !== 1) {
      throw new FedfuseError('shape_mismatch', `${what}: dense layer ${i} needs a flat input, gets rank ${rank} (missing flatten?)`);
    }
    if ((layer.kind === 'conv2d' || layer.kind === 'maxPool2d') && rank !== 3) {
      throw new FedfuseError('shape_mismatch', `${what}: ${layer.kind} layer ${i} needs an [h, w, c] input, gets rank ${rank}`);
    }
    rank = layer.kind === 'dense' || layer.kind === 'flatten' ? 1 : 3;
  });
  activationShapes(spec).forEach((shape, i) => {
    if (!shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
      const where = i === 0 ? 'input' : `output of layer ${i - 1}`;
      throw new FedfuseError('shape_mismatch', `${what}: ${where} would have shape [${shape.join(', ')}]`);
    }
  });
}
