import * as tf from '@tensorflow/tfjs';
import type { NetworkTensors } from '../model/forward.ts';

/**
 * Σ ⟨w, correction⟩ over every kernel and bias: a term whose gradient with
 * respect to the weights is exactly `correction`. Added to the loss, it adds
 * `correction` to every step's gradient, for any optimizer, which is
 * SCAFFOLD's client step y ← y − η (g(y) + c − c_i) with correction = c − c_i.
 * The correction is a constant (not a variable), so only the weights train.
 */
export function linearCorrectionTerm(params: NetworkTensors, correction: NetworkTensors): tf.Scalar {
  return tf.tidy(() => {
    const terms = params.layers.flatMap((l, i) => {
      const c = correction.layers[i]!;
      const k = tf.sum(tf.mul(l.kernel, c.kernel));
      return l.bias === null || c.bias === null ? [k] : [k, tf.sum(tf.mul(l.bias, c.bias))];
    });
    return tf.addN(terms) as tf.Scalar;
  });
}
