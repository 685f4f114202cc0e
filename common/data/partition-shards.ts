import { FedfuseError } from '../errors/index.ts';
import type { SeededRandom } from '../random/index.ts';
import { apportion } from './apportion.ts';
import type { LabelGroup } from './label-groups.ts';
import { appendRange } from './append-range.ts';

/**
 * Pathological label skew (McMahan et al. 2017): the data is cut into
 * numClients * k single-class shards and every client gets k of them.
 *
 * The classic recipe (sort by label, cut into equal shards, deal shards at
 * random) lets a client draw two shards of one class, or a shard that
 * straddles two classes, so "k classes per client" holds only on average.
 * Here it holds exactly:
 * 1. Shards never straddle classes: class c is cut into s_c shards. Every
 *    class gets at least one, and at most min(numClients, size of c); the
 *    rest are given one at a time to the class whose shards would then be
 *    largest (D'Hondt), so shard sizes are as even as the classes allow.
 * 2. Shards are listed class by class (classes in random order) and shard p
 *    goes to client p mod numClients (clients in random order). A class has
 *    at most numClients shards, which then sit at distinct positions modulo
 *    numClients: no client gets a class twice, and each gets exactly k.
 * Needs k <= number of classes and numClients * k >= number of classes (or
 * some class would have no shard), and enough samples for every shard;
 * otherwise 'invalid_argument' says which.
 */
export function partitionShards(groups: readonly LabelGroup[], numClients: number, classesPerClient: number, rng: SeededRandom): number[][] {
  const shardsPerClass = allocateShards(groups, numClients, classesPerClient);
  const classOrder = rng.permutation(groups.length);
  const clientOrder = rng.permutation(numClients);
  const clients: number[][] = Array.from({ length: numClients }, () => []);
  let position = 0;
  for (const c of classOrder) {
    const shuffled = rng.shuffle([...groups[c]!.indices]);
    const sizes = apportion(shuffled.length, new Array<number>(shardsPerClass[c]!).fill(1));
    let at = 0;
    for (const size of sizes) {
      appendRange(clients[clientOrder[position % numClients]!]!, shuffled, at, (at += size));
      position++;
    }
  }
  return clients;
}

function allocateShards(groups: readonly LabelGroup[], numClients: number, k: number): number[] {
  const classes = groups.length;
  const totalShards = numClients * k;
  if (k > classes) {
    throw invalid(`shards:${k} needs at least ${k} classes, the data has ${classes}`);
  }
  if (totalShards < classes) {
    throw invalid(`shards:${k} with ${numClients} clients makes ${totalShards} shards, fewer than the ${classes} classes: use more clients or more classes per client`);
  }
  const sizes = groups.map((g) => g.indices.length);
  const caps = sizes.map((n) => Math.min(numClients, n));
  const capacity = caps.reduce((a, b) => a + b, 0);
  if (capacity < totalShards) {
    throw invalid(`shards:${k} with ${numClients} clients needs ${totalShards} non-empty single-class shards; the class sizes allow only ${capacity}`);
  }
  const shards = new Array<number>(classes).fill(1);
  for (let left = totalShards - classes; left > 0; left--) {
    let best = -1;
    for (let c = 0; c < classes; c++) {
      if (shards[c]! >= caps[c]!) continue;
      if (best < 0 || sizes[c]! / (shards[c]! + 1) > sizes[best]! / (shards[best]! + 1)) best = c;
    }
    shards[best]!++;
  }
  return shards;
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}
