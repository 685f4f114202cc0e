import { FedfuseError } from '../../../common/errors/index.ts';

/**
 * Gives every empty cluster one point, so no fused neuron is ever left without
 * parent neurons (the reference code can return zero weight rows when k-means
 * stops early). Each empty cluster takes the point farthest from its own
 * centroid among clusters that keep at least one member. When all candidates
 * are at distance 0 (more identical neurons than distinct positions) this
 * splits a group of duplicates, which is exactly what is needed then.
 *
 * Mutates `assignment`; sets the moved points' distances to 0 (each is now the
 * sole member, hence the centroid, of its new cluster). Returns how many
 * clusters were repaired. Requires count >= k.
 */
export function repairEmptyClusters(assignment: Int32Array, distances: Float64Array, k: number): number {
  const count = assignment.length;
  if (count < k) throw new FedfuseError('invalid_argument', `cannot fill ${k} clusters with ${count} points`);
  const sizes = new Int32Array(k);
  for (let i = 0; i < count; i++) sizes[assignment[i]!]!++;
  let repaired = 0;
  for (let e = 0; e < k; e++) {
    if (sizes[e]! > 0) continue;
    let best = -1;
    let bestDistance = -1;
    for (let i = 0; i < count; i++) {
      if (sizes[assignment[i]!]! >= 2 && distances[i]! > bestDistance) {
        best = i;
        bestDistance = distances[i]!;
      }
    }
    // count >= k and an empty cluster exist, so some cluster has two or more members.
    sizes[assignment[best]!]!--;
    assignment[best] = e;
    sizes[e] = 1;
    distances[best] = 0;
    repaired++;
  }
  return repaired;
}
