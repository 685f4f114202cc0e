import type { Network } from '../../../common/model/index.ts';
import { ensembleProbabilities } from '../../fusion/index.ts';

/**
 * Samples on which the parents' averaged softmax puts its largest probability
 * on the label (ties go to the lowest class, as argMax does). The ensemble is
 * the reference a fused model is measured against: K forward passes per
 * prediction, which the fused model replaces by one.
 */
export async function ensembleCorrectCount(parents: readonly Network[], images: Float32Array, labels: ArrayLike<number>, count: number): Promise<number> {
  const probabilities = await ensembleProbabilities(parents, images);
  const classes = probabilities.length / count;
  let correct = 0;
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    if (best === labels[i]) correct++;
  }
  return correct;
}
