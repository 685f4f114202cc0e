import { FedfuseError } from '../errors/index.ts';

/** The sample indices that carry one label value. */
export interface LabelGroup {
  readonly label: number;
  readonly indices: number[];
}

/**
 * Groups the indices of `pool` (default: all of `labels`) by label value,
 * groups in increasing label order, indices in pool order. Classes are the
 * distinct label values present, so any integer labels (even UNLABELED = -1)
 * group without a numClasses. Checks that pool indices are valid and unique.
 */
export function groupByLabel(labels: ArrayLike<number>, pool?: readonly number[]): LabelGroup[] {
  const indices = pool ?? Array.from({ length: labels.length }, (_, i) => i);
  const seen = new Uint8Array(labels.length);
  const groups = new Map<number, number[]>();
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= labels.length) {
      throw new FedfuseError('invalid_argument', `sample index ${i} is outside [0, ${labels.length})`);
    }
    if (seen[i]) throw new FedfuseError('invalid_argument', `sample index ${i} appears twice in the pool`);
    seen[i] = 1;
    const label = labels[i]!;
    const group = groups.get(label);
    if (group) group.push(i);
    else groups.set(label, [i]);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([label, members]) => ({ label, indices: members }));
}
