import { layerConsumers, layerInputs, MODEL_INPUT, type ModelSpec } from '../../common/model/spec.ts';

/**
 * What the level loop does at each layer of the graph, decided from the spec
 * alone, in topological order:
 * - 'weighted': a Dense/Conv2D level, with the BatchNorm right after it folded
 *   in (its only reader, the layer linear): the level's target is then the
 *   parents' normalised output, and the fused BatchNorm is re-estimated.
 *   `residual`: the level's output is a summand of an add whose other summands
 *   the fused model has already computed; the level then fits the parents'
 *   sums minus the fused model's own other summands, so that the fused add
 *   reproduces the mix of the parents' adds instead of accumulating errors
 *   along the skip path.
 * - 'channel': a per-channel level (DepthwiseConv2D, with a folded BatchNorm
 *   too; or a BatchNorm on its own).
 * - 'folded': a BatchNorm its level already wrote.
 * - 'plain': a layer without parameters, run as it is.
 */
export type PlanStep =
  | {
      readonly kind: 'weighted';
      readonly layer: number;
      readonly foldedBatchNorm: number | null;
      /** The layer whose value the level produces: the folded BatchNorm, or the layer itself. */
      readonly output: number;
      readonly residual: { readonly add: number; readonly others: readonly number[] } | null;
    }
  | { readonly kind: 'channel'; readonly layer: number; readonly foldedBatchNorm: number | null; readonly output: number }
  | { readonly kind: 'folded'; readonly layer: number; readonly into: number }
  | { readonly kind: 'plain'; readonly layer: number };

export function planLevels(spec: ModelSpec): PlanStep[] {
  const consumers = layerConsumers(spec);
  const steps: PlanStep[] = [];
  const foldedInto = new Map<number, number>();
  spec.layers.forEach((layer, i) => {
    const into = foldedInto.get(i);
    if (into !== undefined) {
      steps.push({ kind: 'folded', layer: i, into });
      return;
    }
    if (layer.kind === 'dense' || layer.kind === 'conv2d' || layer.kind === 'depthwiseConv2d') {
      const readers = consumers[i]!;
      const next = readers.length === 1 ? spec.layers[readers[0]!] : undefined;
      const foldedBatchNorm = layer.activation === 'linear' && next?.kind === 'batchNorm' ? readers[0]! : null;
      if (foldedBatchNorm !== null) foldedInto.set(foldedBatchNorm, i);
      const output = foldedBatchNorm ?? i;
      if (layer.kind === 'depthwiseConv2d') {
        steps.push({ kind: 'channel', layer: i, foldedBatchNorm, output });
        return;
      }
      steps.push({ kind: 'weighted', layer: i, foldedBatchNorm, output, residual: residualOf(spec, consumers, i, output) });
      return;
    }
    if (layer.kind === 'batchNorm') {
      steps.push({ kind: 'channel', layer: i, foldedBatchNorm: null, output: i });
      return;
    }
    steps.push({ kind: 'plain', layer: i });
  });
  return steps;
}

/** The add a linear level's output is summed in, when every other summand comes before the level. */
function residualOf(spec: ModelSpec, consumers: readonly number[][], level: number, output: number): { add: number; others: number[] } | null {
  const layer = spec.layers[level]!;
  if ((layer.kind === 'dense' || layer.kind === 'conv2d') && layer.activation !== 'linear') return null;
  const readers = consumers[output]!;
  if (readers.length !== 1 || spec.layers[readers[0]!]!.kind !== 'add') return null;
  const add = readers[0]!;
  const others = layerInputs(spec, add).filter((from) => from !== output);
  if (!others.every((from) => from === MODEL_INPUT || from < level)) return null;
  return { add, others: [...others] };
}
