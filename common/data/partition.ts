import { FedfuseError } from '../errors/index.ts';
import { SeededRandom } from '../random/index.ts';
import { groupByLabel } from './label-groups.ts';
import { partitionDirichlet } from './partition-dirichlet.ts';
import { partitionIid } from './partition-iid.ts';
import { partitionQuantitySkew } from './partition-quantity-skew.ts';
import { validatePartitionScheme, type PartitionScheme } from './partition-scheme.ts';
import { partitionShards } from './partition-shards.ts';
import { partitionSplitByK } from './partition-split-by-k.ts';

/**
 * Deals sample indices to `numClients` clients by `scheme`, deterministically
 * from `seed`: the same arguments give the same split in every process.
 *
 * `pool` restricts the split to some indices of `labels` (e.g. the `rest` of
 * carveHoldout, so that no client trains on test or calibration samples);
 * by default every sample is dealt. The returned lists are disjoint, cover
 * the pool exactly, are all non-empty, and hold indices into `labels` in
 * increasing order. More clients than samples is an 'invalid_argument'.
 */
export function partition(
  labels: ArrayLike<number>,
  numClients: number,
  scheme: PartitionScheme,
  seed: number,
  pool?: readonly number[],
): number[][] {
  validatePartitionScheme(scheme);
  if (!Number.isInteger(numClients) || numClients < 1) {
    throw new FedfuseError('invalid_argument', `number of clients must be an integer >= 1, got ${numClients}`);
  }
  if (!Number.isSafeInteger(seed)) throw new FedfuseError('invalid_argument', `seed must be an integer, got ${seed}`);
  const groups = groupByLabel(labels, pool);
  const members = groups.flatMap((g) => g.indices);
  if (members.length < numClients) {
    throw new FedfuseError('invalid_argument', `cannot give ${numClients} clients at least one sample each from ${members.length} samples`);
  }
  const rng = new SeededRandom(seed);
  let clients: number[][];
  switch (scheme.kind) {
    case 'iid':
      clients = partitionIid(members, numClients, rng);
      break;
    case 'quantity-skew':
      clients = partitionQuantitySkew(members, numClients, scheme.alpha, rng);
      break;
    case 'dirichlet':
      clients = partitionDirichlet(groups, numClients, scheme.alpha, rng);
      break;
    case 'shards':
      clients = partitionShards(groups, numClients, scheme.classesPerClient, rng);
      break;
    case 'split-by-k':
      clients = partitionSplitByK(groups, numClients, rng);
      break;
  }
  return clients.map((indices) => indices.sort((a, b) => a - b));
}
