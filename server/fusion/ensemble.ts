import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../../common/errors/index.ts';
import { batchOf, disposeNetworkTensors, forwardProbabilities, toNetworkTensors } from '../../common/model/forward.ts';
import type { Network } from '../../common/model/network.ts';
import { validateParents, validateSamples, inputSize } from './validate-fusion-inputs.ts';

/** Samples per forward pass, so that conv activations of a large evaluation set never sit in memory at once. */
const ENSEMBLE_BATCH = 256;

/**
 * The parents' averaged class probabilities (softmax of each parent's logits,
 * then the mean; weighted when `weights` is given) for `inputs` (N samples,
 * row-major). Not a model: K forward passes per prediction. It is the
 * evaluation upper bound that a fusion tries to approach with one model.
 * Returns N x classes, row-major.
 */
export async function ensembleProbabilities(parents: readonly Network[], inputs: Float32Array, weights?: readonly number[]): Promise<Float32Array> {
  validateParents(parents);
  const spec = parents[0]!.spec;
  const samples = validateSamples(inputs, spec, 'ensemble inputs', true);
  const coefficients = weights ?? parents.map(() => 1);
  if (coefficients.length !== parents.length || coefficients.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new FedfuseError('invalid_argument', `ensemble weights must be ${parents.length} finite numbers >= 0`);
  }
  const total = coefficients.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new FedfuseError('invalid_argument', 'ensemble weights must not all be zero');
  const size = inputSize(spec);
  const networks = parents.map(toNetworkTensors);
  try {
    let classes = 0;
    const chunks: Float32Array[] = [];
    for (let start = 0; start < samples; start += ENSEMBLE_BATCH) {
      const n = Math.min(ENSEMBLE_BATCH, samples - start);
      const mean = tf.tidy(() => {
        const x = batchOf(spec, inputs.subarray(start * size, (start + n) * size), n);
        return tf.addN(networks.map((net, k) => tf.mul(forwardProbabilities(net, x), coefficients[k]! / total)));
      });
      classes = mean.shape[1]!;
      chunks.push((await mean.data()) as Float32Array);
      mean.dispose();
    }
    const out = new Float32Array(samples * classes);
    let offset = 0;
    for (const c of chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  } finally {
    networks.forEach(disposeNetworkTensors);
  }
}
