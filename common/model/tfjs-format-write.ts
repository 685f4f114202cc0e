import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { parameterLayers, validateNetwork, type Network } from './network.ts';
import { parameterKerasLayerNames } from './keras-layer-names.ts';
import { kerasTopology } from './keras-topology-write.ts';
import { kerasWeightParts } from './keras-weight-names.ts';
import { MODEL_JSON_FILE_NAME, WEIGHTS_FILE_NAME, type LayersModelFiles } from './layers-model-files.ts';

/** What fedfuse writes into model.json's generatedBy. */
export const GENERATED_BY = 'fedfuse';

/**
 * A Network as TF.js Layers model files: the Keras topology (Sequential for a
 * chain, functional for a graph), one weights group with one shard
 * (WEIGHTS_FILE_NAME), each parameter layer's weights in tfjs-layers' order
 * (kernel then bias; BatchNorm's gamma, beta, moving mean, moving variance),
 * float32 little-endian. Pure data; no tensors.
 */
export function networkToModelArtifacts(net: Network): LayersModelFiles {
  validateNetwork(net);
  const names = parameterKerasLayerNames(net.spec);
  const specs = parameterLayers(net.spec);
  const weights: tf.io.WeightsManifestEntry[] = [];
  // An upper bound (BatchNorm without scale/center writes fewer rows); trimmed below.
  const byteLength = net.layers.reduce((n, l) => n + 4 * (l.kernel.length + (l.bias?.length ?? 0)), 0);
  const weightData = new Uint8Array(byteLength);
  const view = new DataView(weightData.buffer);
  let offset = 0;
  const append = (name: string, shape: readonly number[], values: Float32Array): void => {
    weights.push({ name, shape: [...shape], dtype: 'float32' });
    // DataView with an explicit little-endian flag: TF.js weight files are little-endian whatever the host.
    for (let i = 0; i < values.length; i++, offset += 4) view.setFloat32(offset, values[i]!, true);
  };
  net.layers.forEach((layer, l) => {
    for (const part of kerasWeightParts(specs[l]!)) {
      const name = `${names[l]!}/${part.name}`;
      if (part.part === 'kernel') append(name, layer.kernelShape, layer.kernel);
      else if (part.part === 'bias') append(name, [layer.bias!.length], layer.bias!);
      else {
        const channels = layer.kernelShape[1]!;
        append(name, [channels], layer.kernel.subarray(part.row * channels, (part.row + 1) * channels));
      }
    }
  });
  return {
    modelJson: {
      modelTopology: kerasTopology(net.spec),
      format: 'layers-model',
      generatedBy: GENERATED_BY,
      convertedBy: null,
      weightsManifest: [{ paths: [WEIGHTS_FILE_NAME], weights }],
    },
    weightData: offset === byteLength ? weightData : weightData.slice(0, offset),
  };
}

export interface SavedNetworkPaths {
  readonly modelJsonPath: string;
  readonly weightsPath: string;
}

/**
 * Writes model.json and weights.bin into `dir` (created if missing). The stock
 * `tf.loadLayersModel('http://host/dir/model.json')` reads the result when the
 * folder is served over HTTP; in Node 20+ tfjs's http loader uses the global
 * fetch, so no node-fetch and no `fetchFunc` option are needed (plain
 * @tensorflow/tfjs has no file:// loader: read from disk with loadNetwork).
 */
export async function saveNetwork(net: Network, dir: string): Promise<SavedNetworkPaths> {
  const files = networkToModelArtifacts(net);
  await mkdir(dir, { recursive: true });
  const modelJsonPath = path.join(dir, MODEL_JSON_FILE_NAME);
  const weightsPath = path.join(dir, WEIGHTS_FILE_NAME);
  await writeFile(weightsPath, files.weightData);
  await writeFile(modelJsonPath, JSON.stringify(files.modelJson));
  return { modelJsonPath, weightsPath };
}
