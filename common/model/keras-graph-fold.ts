import type { ReadLayer } from './keras-layer-read.ts';
import { invalid } from './keras-layer-read.ts';

/**
 * The graph of read Keras layers before it becomes a ModelSpec, and the two
 * rewrites on it: taking the final softmax off (it becomes outputActivation)
 * and folding activation layers into the layer before them where that is
 * exact, so that a model written with separate ReLU layers reads like the
 * same model written with `activation: 'relu'`.
 */
export interface GraphNode {
  readonly name: string;
  /** `layer "name" (ClassName)`, for messages. */
  readonly what: string;
  read: ReadLayer;
  /** Names of the layers read (or the input's name). */
  inputs: string[];
}

function consumersOf(nodes: readonly GraphNode[], name: string): GraphNode[] {
  return nodes.filter((n) => n.inputs.includes(name));
}

/** Removes a single-input node, pointing its consumers (and the output) at its input. */
function bypass(nodes: GraphNode[], node: GraphNode, output: string): string {
  const to = node.inputs[0]!;
  for (const n of nodes) n.inputs = n.inputs.map((i) => (i === node.name ? to : i));
  nodes.splice(nodes.indexOf(node), 1);
  return output === node.name ? to : output;
}

const isLinearActivation = (n: GraphNode): boolean => n.read.kind === 'layer' && n.read.layer.kind === 'activation' && n.read.layer.activation === 'linear';

/**
 * Takes the softmax that ends the model off (an Activation/Softmax layer, or
 * a Dense's own softmax, possibly followed by linear activations), and refuses
 * a softmax anywhere else. Layers after the new output (the softmax and what
 * followed it) are dropped.
 */
export function takeSoftmax(nodes: GraphNode[], output: string, input: string): { output: string; softmax: boolean } {
  const byName = (name: string): GraphNode | undefined => nodes.find((n) => n.name === name);
  let current = output;
  let softmax = false;
  for (let node = byName(current); node !== undefined && isLinearActivation(node); node = byName(current)) current = node.inputs[0]!;
  const last = byName(current);
  if (last?.read.kind === 'softmax') {
    softmax = true;
    current = last.inputs[0]!;
  } else if (last?.read.kind === 'layer' && last.read.softmax) {
    softmax = true;
    last.read = { ...last.read, softmax: false };
  }
  // Keep only what the new output depends on.
  const keep = new Set<string>();
  const stack = [current];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (name === input || keep.has(name)) continue;
    keep.add(name);
    stack.push(...(byName(name)?.inputs ?? []));
  }
  for (const node of nodes) {
    const isSoftmax = node.read.kind === 'softmax' || (node.read.kind === 'layer' && node.read.softmax);
    // A kept softmax is an ancestor of the output, so some kept layer reads it.
    const after = keep.has(node.name) ? consumersOf(nodes, node.name).find((n) => keep.has(n.name)) : undefined;
    if (isSoftmax && after !== undefined) {
      throw invalid(`${after.what} follows the softmax of "${node.name}": a softmax is only supported as the model's last layer`);
    }
  }
  nodes.splice(0, nodes.length, ...nodes.filter((n) => keep.has(n.name)));
  if (current === input) throw invalid('the model has no layers besides its input and softmax');
  return { output: current, softmax };
}

/**
 * Drops linear activation layers, and folds a relu layer into the Dense,
 * Conv2D or DepthwiseConv2D it follows when nothing else reads that layer's
 * output on the way: relu commutes with max-pooling and flattening, so a
 * relu after them folds too (what the Sequential reader always did). Any
 * other relu stays an activation layer.
 */
export function foldActivations(nodes: GraphNode[], output: string, input: string): { nodes: GraphNode[]; output: string } {
  let out = output;
  for (const node of [...nodes]) {
    if (isLinearActivation(node)) out = bypass(nodes, node, out);
  }
  for (const node of [...nodes]) {
    if (node.read.kind !== 'layer' || node.read.layer.kind !== 'activation') continue;
    let target = nodes.find((n) => n.name === node.inputs[0]);
    while (
      target !== undefined &&
      target.read.kind === 'layer' &&
      (target.read.layer.kind === 'maxPool2d' || target.read.layer.kind === 'flatten') &&
      consumersOf(nodes, target.name).length === 1
    ) {
      const from = target.inputs[0]!;
      target = from === input ? undefined : nodes.find((n) => n.name === from);
    }
    if (target === undefined || target.read.kind !== 'layer' || consumersOf(nodes, target.name).length !== 1) continue;
    const layer = target.read.layer;
    if (layer.kind !== 'dense' && layer.kind !== 'conv2d' && layer.kind !== 'depthwiseConv2d') continue;
    target.read = { ...target.read, layer: { ...layer, activation: 'relu' } };
    out = bypass(nodes, node, out);
  }
  return { nodes, output: out };
}
