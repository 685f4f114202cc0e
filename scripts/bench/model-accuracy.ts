import type { Dataset } from '../../common/data/index.ts';
import type { Network } from '../../common/model/index.ts';
import { evaluateNetwork } from '../../common/training/index.ts';
import { ensembleCorrectCount } from '../../server/cli/fuse/ensemble-accuracy.ts';

export async function accuracy(net: Network, test: Dataset): Promise<number> {
  return (await evaluateNetwork(net, test.images, test.labels, test.count)).accuracy;
}

/** Accuracy of the parents' averaged softmax (the reference a fused model aims at). */
export async function ensembleAccuracy(parents: readonly Network[], test: Dataset): Promise<number> {
  return (await ensembleCorrectCount(parents, test.images, test.labels, test.count)) / test.count;
}
