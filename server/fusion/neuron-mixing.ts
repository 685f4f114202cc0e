import { FedfuseError } from '../../common/errors/index.ts';

/**
 * How a level's fused neurons are made of the parents' neurons: fused neuron
 * `group[e]` gets `coefficient[e]` times parent neuron `member[e]` (members
 * numbered across parents, in parent order), for every entry e. Both the
 * fused neurons' least-squares targets and their aligned prior are these
 * combinations, of the parents' pre-activations and of their weights.
 * Sparse: a k-means grouping has one entry per parent neuron, a class
 * consensus C per parent output unit.
 */
export interface NeuronMixing {
  readonly members: number;
  readonly width: number;
  readonly member: Int32Array;
  readonly group: Int32Array;
  readonly coefficient: Float64Array;
}

/**
 * Each fused neuron is the weighted mean of the parent neurons assigned to it
 * (method.md step 4; the output layer's class-to-class assignment too).
 */
export function groupMeanMixing(assignment: Int32Array, weights: Float64Array, width: number): NeuronMixing {
  const members = assignment.length;
  const mass = new Float64Array(width);
  for (let i = 0; i < members; i++) mass[assignment[i]!]! += weights[i]!;
  for (let g = 0; g < width; g++) {
    if (!(mass[g]! > 0)) throw new FedfuseError('internal', `fused neuron ${g} has no parent neuron`);
  }
  const member = new Int32Array(members);
  const coefficient = new Float64Array(members);
  for (let i = 0; i < members; i++) {
    member[i] = i;
    coefficient[i] = weights[i]! / mass[assignment[i]!]!;
  }
  return { members, width, member, group: Int32Array.from(assignment), coefficient };
}

/** The fused neurons' targets: rows x width (Float64) combinations of the parents' pre-activations (rows x members). */
export function mixTargets(targetValues: Float32Array, rows: number, mixing: NeuronMixing): Float64Array {
  const { members, width, member, group, coefficient } = mixing;
  if (targetValues.length !== rows * members) {
    throw new FedfuseError('shape_mismatch', `targets have ${targetValues.length} values, expected ${rows} x ${members}`);
  }
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const src = r * members;
    const dst = r * width;
    for (let e = 0; e < member.length; e++) out[dst + group[e]!]! += coefficient[e]! * targetValues[src + member[e]!]!;
  }
  return out;
}
