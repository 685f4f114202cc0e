import { initBackend } from '../common/backend/index.ts';
import { loadEmbeddedMnist, parsePartitionScheme, splitForFederation, type FederatedSplit } from '../common/data/index.ts';
import { initNetwork, mlpSpec, type Network } from '../common/model/index.ts';
import { trainNetwork } from '../common/training/index.ts';

/**
 * Screening fixtures: honest updates of a small MLP trained from one global
 * model by 8 clients on a Dirichlet 0.1 split of the embedded MNIST digits
 * (strong label skew: each client holds mostly one or two classes), and the
 * attacks screening must catch, built from them.
 */
export const SPEC = mlpSpec(784, [32], 10);
export const HONEST_CLIENTS = 8;

let cachedSplit: FederatedSplit | null = null;

export function screeningSplit(): FederatedSplit {
  cachedSplit ??= splitForFederation(loadEmbeddedMnist(), {
    clients: HONEST_CLIENTS,
    scheme: parsePartitionScheme('dirichlet:0.1'),
    calibrationSize: 200,
    testSize: 300,
    seed: 7,
    clientPoolSize: 1600,
  });
  return cachedSplit;
}

export function globalModel(): Network {
  return initNetwork(SPEC, 11);
}

let cachedHonest: Promise<Network[]> | null = null;

/** One local epoch of each client from the global model (trained once per test process). */
export function honestUpdates(): Promise<Network[]> {
  cachedHonest ??= (async () => {
    await initBackend();
    const split = screeningSplit();
    const global = globalModel();
    const updates: Network[] = [];
    for (const [k, c] of split.clients.entries()) {
      const trained = await trainNetwork(global, { images: c.images, labels: c.labels, count: c.count }, { epochs: 1, batchSize: 32, learningRate: 0.001, optimizer: 'adam', seed: 100 + k });
      updates.push(trained.network);
    }
    return updates;
  })();
  return cachedHonest;
}

/** Every weight and bias multiplied by `factor`. */
export function scaled(net: Network, factor: number): Network {
  return {
    spec: net.spec,
    layers: net.layers.map((l) => ({ kernel: l.kernel.map((v) => v * factor), kernelShape: l.kernelShape, bias: l.bias === null ? null : l.bias.map((v) => v * factor) })),
  };
}

/** A freshly initialised model: what a client sending random weights uploads. */
export function randomWeights(seed = 999): Network {
  return initNetwork(SPEC, seed);
}
