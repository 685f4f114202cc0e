import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../errors/index.ts';
import { concatBytes, WEIGHTS_FILE_NAME, type LayersModelFiles } from './layers-model-files.ts';

/**
 * A TF.js IOHandler over an in-memory LayersModelFiles slot, so that a
 * LayersModel can be saved to / loaded from wherever the files live (a SQLite
 * blob, an HTTP body):
 *
 *   const slot: ModelFilesSlot = { files: null };
 *   await model.save(modelFilesIOHandler(slot));     // slot.files now set
 *   const copy = await tf.loadLayersModel(modelFilesIOHandler(slot));
 */
export interface ModelFilesSlot {
  files: LayersModelFiles | null;
}

export function modelFilesIOHandler(slot: ModelFilesSlot): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      slot.files = modelArtifactsToFiles(artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: async () => {
      if (slot.files === null) throw new FedfuseError('invalid_argument', 'no model has been saved into this slot');
      return modelFilesToArtifacts(slot.files);
    },
  };
}

/** tfjs's in-memory form (flat weight specs + weight buffers) to model.json content + one weights file. */
export function modelArtifactsToFiles(artifacts: tf.io.ModelArtifacts): LayersModelFiles {
  const topology = artifacts.modelTopology;
  if (topology === undefined || topology instanceof ArrayBuffer) {
    throw new FedfuseError('invalid_argument', 'only Layers models with a JSON topology can be stored as model files');
  }
  const buffers = artifacts.weightData === undefined ? [] : Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  const modelJson: tf.io.ModelJSON = {
    modelTopology: topology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_FILE_NAME], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
    ...(artifacts.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: artifacts.userDefinedMetadata }),
  };
  return { modelJson, weightData: concatBytes(buffers.map((b) => new Uint8Array(b))) };
}

/** The inverse of modelArtifactsToFiles: what tf.loadLayersModel expects from an IOHandler. */
export async function modelFilesToArtifacts(files: LayersModelFiles): Promise<tf.io.ModelArtifacts> {
  // A fresh ArrayBuffer holding exactly the weights: weightData may be a view into a larger buffer (a SQLite row, a protobuf message).
  const weightBuffer = files.weightData.slice().buffer;
  return tf.io.getModelArtifactsForJSON(files.modelJson, async (manifest) => [manifest.flatMap((g) => g.weights), weightBuffer]);
}
