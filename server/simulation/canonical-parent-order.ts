import { createHash } from 'node:crypto';
import type { Network } from '../../common/model/network.ts';
import { reorderParents, type FusionExecutor } from '../aggregation/index.ts';

/**
 * The orchestrator hands updates to the fusion in arrival order, which
 * depends on thread scheduling. KF-linear starts its k-means from parent 0
 * and every mean sums in parent order, so arrival order alone would change
 * the numbers from one run of the same command to the next. A simulation
 * wants the same command to give the same numbers: this wrapper puts the
 * parents (with their importances and example counts) in an order fixed by
 * their content before fusing and evaluating.
 */
export function withCanonicalParentOrder(executor: FusionExecutor): FusionExecutor {
  return {
    async aggregate(request) {
      return executor.aggregate(reorderParents(request, canonicalOrder(request.parents)));
    },
    // Screening statistics (medians, leave-one-out ensembles) do not depend on the order: passed through.
    screen: (request) => executor.screen(request),
    async evaluate(network, parents) {
      return executor.evaluate(network, canonicalOrder(parents).map((i) => parents[i]!));
    },
    close: () => executor.close(),
  };
}

/** Indices of `parents` sorted by a hash of their weights (ties, i.e. identical models, keep their order). */
export function canonicalOrder(parents: readonly Network[]): number[] {
  const keys = parents.map(networkFingerprint);
  return parents.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
}

/** A hash of a network's weights (hex). */
export function networkFingerprint(network: Network): string {
  const hash = createHash('sha256');
  for (const layer of network.layers) {
    hash.update(new Uint8Array(layer.kernel.buffer, layer.kernel.byteOffset, layer.kernel.byteLength));
    if (layer.bias !== null) hash.update(new Uint8Array(layer.bias.buffer, layer.bias.byteOffset, layer.bias.byteLength));
  }
  return hash.digest('hex');
}
