import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { parseKerasTopology } from './keras-topology-read.ts';
import { kerasWeightParts } from './keras-weight-names.ts';
import { decodeFloatWeights, type DecodedWeight } from './tfjs-weights-decode.ts';
import { expectedKernelShapes, parameterLayers, validateNetwork, type LayerWeights, type Network } from './network.ts';
import { concatBytes, type LayersModelFiles } from './layers-model-files.ts';

/**
 * Reading TF.js Layers models (model.json + weight shards) into Networks,
 * without tensors: from in-memory files, or from disk. Weights are matched by
 * name ("<layer>/kernel", "<layer>/bias"), so their order in the manifest does
 * not matter. Errors are FedfuseError('invalid_argument') naming the layer,
 * weight or file at fault.
 */

type JsonObject = { readonly [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(message: string, cause?: unknown): FedfuseError {
  return new FedfuseError('invalid_argument', message, cause === undefined ? undefined : { cause });
}

/**
 * A Network from a Keras topology, the flat list of weight specs and their
 * bytes laid back to back (the parts of a tf.io.ModelArtifacts).
 */
export function networkFromTopologyAndWeights(
  modelTopology: unknown,
  weightSpecs: readonly tf.io.WeightsManifestEntry[],
  weightData: Uint8Array,
): Network {
  const { spec, parameterLayerNames } = parseKerasTopology(modelTopology);
  const weights = decodeFloatWeights(weightSpecs, weightData);
  const shapes = expectedKernelShapes(spec);
  const specs = parameterLayers(spec);
  const layers = parameterLayerNames.map((layerName, l): LayerWeights => {
    const shape = shapes[l]!;
    const kernel = new Float32Array(shape.reduce((a, b) => a * b, 1));
    // What a BatchNorm without scale/center lacks is Keras's gamma 1 (beta stays 0).
    if (specs[l]!.kind === 'batchNorm') kernel.fill(1, 0, shape[1]!);
    let bias: Float32Array | null = null;
    for (const part of kerasWeightParts(specs[l]!)) {
      const found = findWeight(weights, layerName, part.name);
      if (found === null) throw invalid(`layer "${layerName}": no weight named "${layerName}/${part.name}" in the weights manifest`);
      if (part.part === 'kernel') {
        checkShape(found, shape, `${layerName}/${part.name}`);
        kernel.set(found.values);
      } else if (part.part === 'bias') {
        checkShape(found, [specs[l]!.kind === 'depthwiseConv2d' ? shape[2]! : shape[shape.length - 1]!], `${layerName}/${part.name}`);
        bias = found.values;
      } else {
        const channels = shape[1]!;
        checkShape(found, [channels], `${layerName}/${part.name}`);
        kernel.set(found.values, part.row * channels);
      }
    }
    return { kernel, kernelShape: shape, bias };
  });
  const net: Network = { spec, layers };
  validateNetwork(net);
  return net;
}

/** The inverse of networkToModelArtifacts: a Network from model.json's content and all its weight bytes. */
export function networkFromModelArtifacts(files: LayersModelFiles): Network {
  const manifest = readManifest(files.modelJson);
  return networkFromTopologyAndWeights(
    manifest.modelTopology,
    manifest.groups.flatMap((g) => g.weights),
    files.weightData,
  );
}

/**
 * Reads a model.json and its weight shards from disk (paths in the manifest are
 * relative to model.json's folder and may not leave it).
 */
export async function loadNetwork(modelJsonPath: string): Promise<Network> {
  const modelJson = parseJson(await readFileOrThrow(modelJsonPath, 'model file'), modelJsonPath);
  const manifest = readManifest(modelJson);
  const dir = path.dirname(path.resolve(modelJsonPath));
  const shards: Uint8Array[] = [];
  for (const group of manifest.groups) {
    for (const p of group.paths) shards.push(await readFileOrThrow(shardPath(dir, p), `weight file of ${modelJsonPath}`));
  }
  return networkFromTopologyAndWeights(manifest.modelTopology, manifest.groups.flatMap((g) => g.weights), concatBytes(shards));
}

interface Manifest {
  readonly modelTopology: unknown;
  readonly groups: tf.io.WeightsManifestConfig;
}

function readManifest(modelJson: unknown): Manifest {
  if (!isObject(modelJson)) throw invalid('model.json is not a JSON object');
  if (modelJson['format'] === 'graph-model') throw invalid('this is a TF.js graph model; only Layers models (format "layers-model") are supported');
  const groups = modelJson['weightsManifest'];
  if (!Array.isArray(groups)) throw invalid('model.json has no weightsManifest list');
  groups.forEach((g: unknown, i) => {
    const ok =
      isObject(g) &&
      Array.isArray(g['paths']) &&
      g['paths'].every((p) => typeof p === 'string') &&
      Array.isArray(g['weights']) &&
      g['weights'].every((w) => isObject(w) && typeof w['name'] === 'string' && Array.isArray(w['shape']) && typeof w['dtype'] === 'string');
    if (!ok) throw invalid(`weightsManifest group ${i} is not {paths: string[], weights: {name, shape, dtype}[]}`);
  });
  // Checked entry by entry just above.
  return { modelTopology: modelJson['modelTopology'], groups: groups as tf.io.WeightsManifestConfig };
}

/**
 * The weight of `layerName` called `param`. TF.js names it "<layer>/<param>";
 * models converted from Keras may add scopes in front ("model/<layer>/<param>")
 * or a ":0" suffix, which are accepted when they match exactly one weight.
 */
function findWeight(weights: ReadonlyMap<string, DecodedWeight>, layerName: string, param: string): DecodedWeight | null {
  const exact = weights.get(`${layerName}/${param}`);
  if (exact !== undefined) return exact;
  const suffix = `/${layerName}/${param}`;
  const matches = [...weights.entries()].filter(([name]) => name.replace(/:\d+$/, '').endsWith(suffix) || name.replace(/:\d+$/, '') === suffix.slice(1));
  if (matches.length > 1) throw invalid(`layer "${layerName}": several weights could be its ${param}: ${matches.map(([n]) => n).join(', ')}`);
  return matches[0]?.[1] ?? null;
}

function checkShape(w: DecodedWeight, expected: readonly number[], name: string): void {
  if (w.shape.length !== expected.length || w.shape.some((d, i) => d !== expected[i])) {
    throw new FedfuseError('shape_mismatch', `weight "${name}" has shape [${w.shape.join(', ')}], the topology needs [${expected.join(', ')}]`);
  }
}

function shardPath(dir: string, p: string): string {
  const resolved = path.resolve(dir, p);
  if (path.isAbsolute(p) || /^[a-z][a-z0-9+.-]*:/i.test(p) || path.relative(dir, resolved).startsWith('..')) {
    throw invalid(`weight path "${p}" must be relative to model.json's folder and stay inside it`);
  }
  return resolved;
}

async function readFileOrThrow(file: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e);
    throw invalid(`cannot read ${what} ${file}: ${reason}`, e);
  }
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw invalid(`${file} is not valid JSON: ${String(e)}`, e);
  }
}
