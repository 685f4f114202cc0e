/**
 * The score every neuron of a dead layer gets. A layer whose scores are all
 * zero on the samples (every ReLU off, or F not depending on it) says nothing
 * about which neuron matters, but a summary must not be all zero in a layer
 * (validateAttributionSummary). Such a layer falls back to UNIFORM scores of
 * this tiny value rather than to ones: within the layer every neuron weighs the
 * same, and against another parent whose layer is alive it weighs (almost)
 * nothing, which is what "dead on this client's data" means. When all parents'
 * layers are dead, fusion sees plain uniform weights. The paper's own epsilon
 * is the same 1e-8. Single zero scores in a live layer are left at zero: they
 * are real information, and fusion adds its own epsilon where it divides.
 */
export const DEAD_LAYER_SCORE = 1e-8;

/** Replaces an all-zero layer by DEAD_LAYER_SCORE everywhere (in place); returns whether it did. */
export function fillDeadLayer(scores: Float32Array): boolean {
  for (let i = 0; i < scores.length; i++) if (scores[i] !== 0) return false;
  scores.fill(DEAD_LAYER_SCORE);
  return true;
}
