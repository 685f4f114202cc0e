/**
 * Mean softmax over rows of a logit block: for each row r, the `classes`
 * values at values[r·rowStride + offset ..] (+ shift[c] when given), softmaxed
 * in float64; returns the mean over rows. Used on a fused model's logits
 * (prior matching) and on one parent's block of a level's concatenated
 * pre-activations (its predicted class shares).
 */
export function meanSoftmax(
  values: Float32Array,
  rows: number,
  rowStride: number,
  offset: number,
  classes: number,
  shift: Float64Array | null = null,
): Float64Array {
  const mean = new Float64Array(classes);
  const e = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    const at = r * rowStride + offset;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      e[c] = values[at + c]! + (shift === null ? 0 : shift[c]!);
      max = Math.max(max, e[c]!);
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      e[c] = Math.exp(e[c]! - max);
      sum += e[c]!;
    }
    for (let c = 0; c < classes; c++) mean[c]! += e[c]! / sum / rows;
  }
  return mean;
}
