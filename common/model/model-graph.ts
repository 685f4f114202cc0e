import { MODEL_INPUT, type LayerSpec } from './layer-spec.ts';

/**
 * The edges of a model's layer graph. Layers are stored in topological order:
 * every layer reads only the model input or earlier layers, and the last layer
 * is the model's output. A spec whose layers have no explicit `inputs` is a
 * chain (a Sequential model), which is what all specs were before graphs.
 */
interface GraphLike {
  readonly layers: readonly LayerSpec[];
}

/** Resolved inputs of layer i: its explicit `inputs`, or the previous layer (MODEL_INPUT for layer 0). */
export function layerInputs(spec: GraphLike, i: number): readonly number[] {
  const explicit = spec.layers[i]!.inputs;
  return explicit ?? [i - 1];
}

/** True when every layer reads exactly the previous one: a Sequential model. */
export function isChain(spec: GraphLike): boolean {
  return spec.layers.every((layer, i) => layer.inputs === undefined || (layer.inputs.length === 1 && layer.inputs[0] === i - 1));
}

/** For every layer, the layers that read its output, in order. */
export function layerConsumers(spec: GraphLike): number[][] {
  const out: number[][] = spec.layers.map(() => []);
  spec.layers.forEach((_, i) => {
    for (const from of layerInputs(spec, i)) if (from !== MODEL_INPUT) out[from]?.push(i);
  });
  return out;
}

/** Layers reachable from layer `from` by following edges forward (not including `from`). */
export function downstreamLayers(spec: GraphLike, from: number): Set<number> {
  const consumers = layerConsumers(spec);
  const seen = new Set<number>();
  const stack = [...consumers[from]!];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    stack.push(...consumers[i]!);
  }
  return seen;
}

/**
 * Structural problems of the edges, as a message, or null: inputs must name
 * the model input or an earlier layer, add must read two or more, every other
 * layer exactly one, and every layer but the last must be read by someone (an
 * unused branch would be trained and sent for nothing). `nameOf(i)` names
 * layer i in the message.
 */
export function graphProblem(spec: GraphLike, nameOf: (i: number) => string): string | null {
  if (spec.layers.length === 0) return 'the model has no layers';
  for (let i = 0; i < spec.layers.length; i++) {
    const layer = spec.layers[i]!;
    const inputs = layerInputs(spec, i);
    if (layer.kind === 'add' ? inputs.length < 2 : inputs.length !== 1) {
      return `${nameOf(i)} reads ${inputs.length} inputs, ${layer.kind === 'add' ? 'an add needs at least 2' : 'it takes exactly 1'}`;
    }
    for (const from of inputs) {
      if (!Number.isInteger(from) || from < MODEL_INPUT || from >= i) {
        return `${nameOf(i)} reads ${from === i ? 'itself' : `layer ${from}`}: a layer may only read the model input or an earlier layer`;
      }
    }
    if (new Set(inputs).size !== inputs.length) return `${nameOf(i)} reads the same input twice`;
  }
  const consumers = layerConsumers(spec);
  for (let i = 0; i < spec.layers.length - 1; i++) {
    if (consumers[i]!.length === 0) return `the output of ${nameOf(i)} is not used by any layer (only the last layer may be the model's output)`;
  }
  return null;
}
