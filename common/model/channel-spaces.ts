import { layerOutputShapes } from './layer-shapes.ts';
import { isWeightedLayer, MODEL_INPUT } from './layer-spec.ts';
import { layerInputs } from './model-graph.ts';
import type { ModelSpec } from './spec.ts';

/**
 * The channel spaces of a layer graph: which tensors' channels (last axis)
 * must stay aligned with each other. A Dense or Conv2D creates a space (its
 * neurons); per-channel layers (BatchNorm, depthwise conv, activations,
 * dropout, pooling) and layers that only re-arrange positions (flatten,
 * global pooling, a reshape keeping the last axis or making a vector) keep
 * their input's; an add joins its inputs' spaces into one, since the sum
 * needs channel c of every input to mean the same thing. Fusion groups the
 * neurons of a space once; a width change applies to a whole space.
 *
 * A tensor in a space holds `size / width` positions per sample, the channel
 * fastest (NHWC, flattened row-major), which is how a Dense after a Flatten
 * reads it.
 *
 * A space is pinned (its channels keep their identity and width) when it is
 * the model input, the output classes, or feeds a reshape that moves channels
 * into positions.
 */
export interface ChannelSpace {
  readonly width: number;
  /** The weighted layers (spec indices) whose outputs are in this space, in order. */
  readonly members: readonly number[];
  /** Null when its neurons may be regrouped and resized, else why not. */
  readonly pinned: 'input' | 'output' | 'reshape' | null;
}

export interface ChannelSpaces {
  readonly spaces: readonly ChannelSpace[];
  /** The space of every layer's output (spec index -> space). */
  readonly spaceOfLayer: readonly number[];
  /** The space of the model input. */
  readonly inputSpace: number;
}

/** Space id of tensor `from` (a layer index or MODEL_INPUT). */
export function spaceOfTensor(spaces: ChannelSpaces, from: number): number {
  return from === MODEL_INPUT ? spaces.inputSpace : spaces.spaceOfLayer[from]!;
}

export function channelSpaces(spec: ModelSpec): ChannelSpaces {
  const shapes = layerOutputShapes(spec);
  // Union-find over provisional ids: 0 = the input, then one per weighted layer and per re-shaped tensor.
  const parent: number[] = [0];
  const pinned: (ChannelSpace['pinned'])[] = ['input'];
  const find = (a: number): number => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]!]!;
    return a;
  };
  const union = (a: number, b: number): number => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) {
      const [keep, drop] = ra < rb ? [ra, rb] : [rb, ra];
      parent[drop] = keep;
      pinned[keep] = pinned[keep] ?? pinned[drop] ?? null;
    }
    return find(a);
  };
  const fresh = (pin: ChannelSpace['pinned']): number => {
    parent.push(parent.length);
    pinned.push(pin);
    return parent.length - 1;
  };
  const provisional: number[] = [];
  const inputShape = (from: number): readonly number[] => (from === MODEL_INPUT ? spec.inputShape : shapes[from]!);
  spec.layers.forEach((layer, i) => {
    const inputs = layerInputs(spec, i);
    const spaceIn = inputs.map((from) => (from === MODEL_INPUT ? 0 : provisional[from]!));
    if (isWeightedLayer(layer)) {
      provisional.push(fresh(null));
    } else if (layer.kind === 'add') {
      provisional.push(spaceIn.reduce((a, b) => union(a, b)));
    } else if (layer.kind === 'reshape') {
      const before = inputShape(inputs[0]!);
      const after = layer.targetShape;
      const keepsChannels = after.length === 1 || after[after.length - 1] === before[before.length - 1];
      if (keepsChannels) provisional.push(spaceIn[0]!);
      else {
        // Channels become positions: neither side may be regrouped.
        pinned[find(spaceIn[0]!)] = pinned[find(spaceIn[0]!)] ?? 'reshape';
        provisional.push(fresh('reshape'));
      }
    } else {
      provisional.push(spaceIn[0]!);
    }
  });
  const last = spec.layers.length - 1;
  const outputRoot = find(provisional[last]!);
  pinned[outputRoot] = pinned[outputRoot] ?? 'output';
  // Number the roots in order of first appearance (the input first).
  const ids = new Map<number, number>();
  const idOf = (p: number): number => {
    const r = find(p);
    if (!ids.has(r)) ids.set(r, ids.size);
    return ids.get(r)!;
  };
  const inputSpace = idOf(0);
  const spaceOfLayer = provisional.map(idOf);
  const members: number[][] = [...ids.keys()].map(() => []);
  const widths: number[] = [...ids.keys()].map(() => 0);
  widths[inputSpace] = spec.inputShape[spec.inputShape.length - 1]!;
  spec.layers.forEach((layer, i) => {
    const s = spaceOfLayer[i]!;
    if (isWeightedLayer(layer)) members[s]!.push(i);
    // The channels of a space: a weighted layer's width, or a channel-moving reshape's last axis (flatten's last axis counts positions too).
    if (isWeightedLayer(layer) || (layer.kind === 'reshape' && widths[s] === 0)) widths[s] = shapes[i]![shapes[i]!.length - 1]!;
  });
  const spaces = [...ids.keys()].map((root, s): ChannelSpace => ({ width: widths[s]!, members: members[s]!, pinned: pinned[root] ?? null }));
  return { spaces, spaceOfLayer, inputSpace };
}
