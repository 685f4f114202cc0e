import type { LayerSpec } from './layer-spec.ts';
import { MODEL_INPUT } from './layer-spec.ts';
import { checkedLayerOutputShapes, layerOutputShape } from './layer-shapes.ts';
import { hasParameters, type ModelSpec } from './spec.ts';
import { invalid, isObject, readKerasLayer, batchInputShape, type ReadLayer } from './keras-layer-read.ts';
import { foldActivations, takeSoftmax, type GraphNode } from './keras-graph-fold.ts';

/**
 * Reads the Keras topology of a TF.js Layers model.json (written by fedfuse,
 * by tfjs-layers, or converted from Keras) into a ModelSpec: Sequential
 * models and functional ones (one input, one output, every layer applied
 * once), with the layers of keras-layer-read.ts. A softmax must end the model
 * and becomes outputActivation; a relu right after a Dense/Conv2D (through
 * max-pooling or flattening, which commute with it) is folded into it, as
 * fedfuse writes it; linear activations are dropped. Anything else is an
 * 'invalid_argument' naming the layer, because fusion could not reproduce it.
 */
export interface ParsedTopology {
  readonly spec: ModelSpec;
  /** Keras name of the layer holding each parameter block, in Network.layers order. */
  readonly parameterLayerNames: readonly string[];
}

/** The model's input, in GraphNode.inputs. */
const INPUT = '\u0000input';

export function parseKerasTopology(modelTopology: unknown): ParsedTopology {
  let topology = modelTopology;
  // Models converted from Keras nest the architecture under model_config (next to training_config).
  if (isObject(topology) && isObject(topology['model_config'])) topology = topology['model_config'];
  if (!isObject(topology)) throw invalid('modelTopology is missing or not an object');
  const className = topology['class_name'];
  const config = topology['config'];
  let graph: { nodes: GraphNode[]; inputShape: number[] | null; output: string };
  if (className === 'Sequential') {
    // Keras 2.1 wrote the layer list directly as the config; later versions wrap it in {name, layers}.
    const layers = Array.isArray(config) ? config : isObject(config) ? config['layers'] : undefined;
    if (!Array.isArray(layers)) throw invalid('the Sequential config has no layer list');
    graph = sequentialGraph(layers);
  } else if (className === 'Model' || className === 'Functional') {
    if (!isObject(config) || !Array.isArray(config['layers'])) throw invalid(`the ${className} config has no layer list`);
    graph = functionalGraph(config);
  } else {
    throw invalid(`unsupported model class ${JSON.stringify(className)} (supported: Sequential and functional models)`);
  }
  if (graph.inputShape === null) throw invalid('the model topology does not say its input shape (no batch_input_shape on the first layer or InputLayer)');
  const outputActivation = takeSoftmax(graph.nodes, graph.output, INPUT);
  const { nodes, output } = foldActivations(graph.nodes, outputActivation.output, INPUT);
  return assemble(nodes, output, graph.inputShape, outputActivation.softmax ? 'softmax' : 'linear');
}

/** The name the Sequential reader used; Sequential and functional models are read alike. */
export const parseSequentialTopology = parseKerasTopology;

function layerJsonParts(json: unknown, index: number): { className: string; config: Record<string, unknown>; name: string; what: string } {
  if (!isObject(json) || typeof json['class_name'] !== 'string' || !isObject(json['config'])) {
    throw invalid(`layer ${index} of the model topology is not a {class_name, config} object`);
  }
  const className = json['class_name'];
  const config = json['config'] as Record<string, unknown>;
  const name = typeof json['name'] === 'string' ? json['name'] : typeof config['name'] === 'string' ? config['name'] : `#${index}`;
  return { className, config, name, what: `layer "${name}" (${className})` };
}

function sequentialGraph(layers: readonly unknown[]): { nodes: GraphNode[]; inputShape: number[] | null; output: string } {
  const nodes: GraphNode[] = [];
  let inputShape: number[] | null = null;
  let previous = INPUT;
  layers.forEach((json, i) => {
    const { className, config, name, what } = layerJsonParts(json, i);
    // Keras repeats the input shape on nothing but the first layer; later copies are ignored like TF.js does.
    if (inputShape === null && nodes.length === 0) inputShape = batchInputShape(config, what);
    const read = readKerasLayer(className, config, what);
    if (read.kind === 'input') {
      if (i !== 0) throw invalid(`${what} is not the first layer`);
      return;
    }
    nodes.push({ name: uniqueName(nodes, name), what, read, inputs: [previous] });
    previous = nodes[nodes.length - 1]!.name;
  });
  if (nodes.length === 0) throw invalid('the model has no layers');
  return { nodes, inputShape, output: previous };
}

function uniqueName(nodes: readonly GraphNode[], name: string): string {
  if (nodes.some((n) => n.name === name)) throw invalid(`two layers are named "${name}"`);
  return name;
}

function functionalGraph(config: Record<string, unknown>): { nodes: GraphNode[]; inputShape: number[] | null; output: string } {
  const inputNames: string[] = [];
  let inputShape: number[] | null = null;
  const nodes: GraphNode[] = [];
  (config['layers'] as unknown[]).forEach((json, i) => {
    const { className, config: layerConfig, name, what } = layerJsonParts(json, i);
    if (['Sequential', 'Functional', 'Model'].includes(className)) throw invalid(`${what}: nested models are not supported (flatten the model into one)`);
    const read: ReadLayer = readKerasLayer(className, layerConfig, what);
    if (read.kind === 'input') {
      inputNames.push(name);
      inputShape = read.shape === null ? null : [...read.shape];
      return;
    }
    const inbound = (json as Record<string, unknown>)['inbound_nodes'];
    nodes.push({ name: uniqueName(nodes, name), what, read, inputs: inboundLayerNames(inbound, what) });
  });
  const ends = (key: string): string[] => {
    const v = config[key];
    if (!Array.isArray(v)) throw invalid(`the functional config has no ${key}`);
    return v.map((t: unknown) => tensorHistory(t, `${key} entry`));
  };
  const inputs = ends('input_layers');
  const outputs = ends('output_layers');
  if (inputs.length !== 1 || inputNames.length !== 1) throw invalid(`the model has ${inputs.length} inputs: only models with one input are supported`);
  if (outputs.length !== 1) throw invalid(`the model has ${outputs.length} outputs: only models with one output are supported`);
  const inputName = inputNames[0]!;
  for (const node of nodes) node.inputs = node.inputs.map((n) => (n === inputName ? INPUT : n));
  const known = new Set([INPUT, ...nodes.map((n) => n.name)]);
  for (const node of nodes) {
    for (const n of node.inputs) if (!known.has(n)) throw invalid(`${node.what} reads "${n}", which is not a layer of the model`);
  }
  return { nodes: topologicalOrder(nodes), inputShape, output: outputs[0] === inputName ? INPUT : outputs[0]! };
}

/**
 * The layer names a layer's (single) inbound node reads: Keras 2 / TF.js
 * `[[[name, node, tensor, kwargs], ...]]`, or Keras 3 `[{args, kwargs}]` with
 * `__keras_tensor__` entries.
 */
function inboundLayerNames(inbound: unknown, what: string): string[] {
  if (!Array.isArray(inbound) || inbound.length === 0) throw invalid(`${what} has no inbound node (it is not connected to the model)`);
  if (inbound.length > 1) throw invalid(`${what} is applied ${inbound.length} times: shared layers are not supported`);
  const node = inbound[0];
  if (Array.isArray(node)) return node.map((t) => tensorHistory(t, what));
  if (isObject(node) && Array.isArray(node['args'])) {
    const tensors: unknown[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (isObject(v) && v['class_name'] === '__keras_tensor__') tensors.push(v);
    };
    collect(node['args']);
    return tensors.map((t) => tensorHistory(t, what));
  }
  throw invalid(`${what}: inbound node ${JSON.stringify(node)} is not in a known format`);
}

/** The layer name of one tensor reference ([name, node, tensor, ...] or a __keras_tensor__), which must be that layer's only output. */
function tensorHistory(t: unknown, what: string): string {
  const history = isObject(t) && isObject(t['config']) ? t['config']['keras_history'] : t;
  if (!Array.isArray(history) || typeof history[0] !== 'string') throw invalid(`${what}: tensor reference ${JSON.stringify(t)} is not [layer, node, tensor]`);
  if ((history[1] ?? 0) !== 0 || (history[2] ?? 0) !== 0) throw invalid(`${what}: reads output ${JSON.stringify(history.slice(1, 3))} of "${history[0]}": shared layers and multi-output layers are not supported`);
  return history[0];
}

/** Kahn's algorithm, keeping the listed order among layers that are ready together. */
function topologicalOrder(nodes: GraphNode[]): GraphNode[] {
  const done = new Set<string>([INPUT]);
  const out: GraphNode[] = [];
  const pending = [...nodes];
  while (pending.length > 0) {
    const k = pending.findIndex((n) => n.inputs.every((i) => done.has(i)));
    if (k === -1) throw invalid(`the layers ${pending.map((n) => `"${n.name}"`).join(', ')} form a cycle`);
    const [node] = pending.splice(k, 1);
    out.push(node!);
    done.add(node!.name);
  }
  return out;
}

function assemble(nodes: readonly GraphNode[], output: string, inputShape: number[], outputActivation: ModelSpec['outputActivation']): ParsedTopology {
  const index = new Map<string, number>([[INPUT, MODEL_INPUT]]);
  nodes.forEach((n, i) => index.set(n.name, i));
  // Every kept layer is an ancestor of the output (takeSoftmax), so the output comes last in topological order.
  if (index.get(output) !== nodes.length - 1) throw invalid(`the model's output is not its last layer`);
  const shapes: number[][] = [];
  const layers: LayerSpec[] = nodes.map((node, i) => {
    if (node.read.kind !== 'layer') throw invalid(`${node.what}: internal reader state`);
    const inputs = node.inputs.map((n) => index.get(n)!);
    const inShapes = inputs.map((from) => (from === MODEL_INPUT ? inputShape : shapes[from]!));
    let layer = node.read.layer;
    if (layer.kind === 'reshape' && node.read.reshapeTarget !== undefined) layer = { ...layer, targetShape: resolveTarget(node.read.reshapeTarget, inShapes[0]!, node.what) };
    if (layer.kind === 'batchNorm') {
      const axis = node.read.batchNormAxis ?? -1;
      if (axis !== -1 && axis !== inShapes[0]!.length) throw invalid(`${node.what}: normalising over axis ${axis} is not supported (only the last axis, the channels)`);
    }
    const shape = layerOutputShape(layer, inShapes);
    if (typeof shape === 'string') throw invalid(`${node.what} ${shape}`);
    shapes.push(shape);
    const chain = inputs.length === 1 && inputs[0] === i - 1;
    return chain ? layer : { ...layer, inputs };
  });
  const last = layers[layers.length - 1];
  if (last === undefined || last.kind !== 'dense') {
    throw invalid('the model must end with a Dense layer (the logits), optionally followed by activations');
  }
  const spec: ModelSpec = { inputShape, layers, outputActivation };
  checkedLayerOutputShapes(spec, (i) => nodes[i]!.what, 'invalid_argument');
  const parameterLayerNames = nodes.filter((_, i) => hasParameters(layers[i]!)).map((n) => n.name);
  return { spec, parameterLayerNames };
}

function resolveTarget(target: readonly number[], inShape: readonly number[], what: string): number[] {
  const total = inShape.reduce((a, b) => a * b, 1);
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (!target.includes(-1)) return [...target];
  if (total % known !== 0) throw invalid(`${what}: cannot reshape [${inShape.join(', ')}] to [${target.join(', ')}]`);
  return target.map((d) => (d === -1 ? total / known : d));
}
