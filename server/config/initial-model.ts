import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { FedfuseError, isFedfuseError } from '../../common/errors/index.ts';
import {
  ARCHITECTURE_EXAMPLES,
  initNetwork,
  isChain,
  layerOutputShapes,
  loadNetwork,
  MODEL_JSON_FILE_NAME,
  parseArchitecture,
  type ModelSpec,
  type Network,
} from '../../common/model/index.ts';

/**
 * The initial global model of a run, as `--model` names it (fedfuse server,
 * simulate, compare): a built-in architecture (`mlp:256`, `cnn:small`, ...)
 * initialised from the run's seed, or a TF.js Layers model of the user's own
 * (its model.json, or the folder holding it), whose topology the clients
 * train and whose weights are the starting point. Every layer the model
 * format reads is accepted (docs/models.md); anything else is refused with
 * one line naming the layer and the supported set.
 */
export interface InitialModelSource {
  readonly spec: ModelSpec;
  /** The weights of a model file; null for a built-in architecture (initialised from the seed by initialModelOf). */
  readonly weights: Network | null;
  /** For logs and results: the architecture text, or "<file> (Sequential|functional, N layers, P parameters)". */
  readonly description: string;
}

/** What the data set says the model must fit. */
export interface ModelDataShape {
  readonly sampleShape: readonly number[];
  readonly numClasses: number;
}

const BUILT_IN = /^(mlp|cnn):/;

/** A folder stands for the model.json inside it, so `--model runs/a` works as well as `--model runs/a/model.json`. */
export function modelJsonPath(given: string): string {
  if (existsSync(given) && statSync(given).isDirectory()) return path.join(given, MODEL_JSON_FILE_NAME);
  return given;
}

/** True when `--model` names a file or folder rather than a built-in architecture. */
export function isModelFile(text: string): boolean {
  return !BUILT_IN.test(text) && (text.endsWith('.json') || text.includes('/') || text.includes(path.sep) || existsSync(text));
}

/** Reads `--model`: a built-in architecture for the data, or a model file checked against the data's sample shape and classes. */
export async function loadInitialModelSource(text: string, data: ModelDataShape, flag = '--model'): Promise<InitialModelSource> {
  if (!isModelFile(text)) {
    try {
      return { spec: parseArchitecture(text, data.sampleShape, data.numClasses), weights: null, description: text };
    } catch (e) {
      if (isFedfuseError(e)) {
        const files = e.message.startsWith('unknown model') ? ', or a TF.js Layers model.json (or its folder)' : '';
        throw new FedfuseError(e.code, `${flag}: ${e.message}${files}`, { cause: e });
      }
      throw e;
    }
  }
  const file = modelJsonPath(text);
  if (!existsSync(file)) throw new FedfuseError('invalid_argument', `${flag} ${text}: no such file (give a model.json, its folder, or one of ${ARCHITECTURE_EXAMPLES})`);
  let weights: Network;
  try {
    weights = await loadNetwork(file);
  } catch (e) {
    if (isFedfuseError(e)) throw new FedfuseError(e.code, `${flag} ${text}: ${e.message}`, { cause: e });
    throw e;
  }
  assertFitsData(weights.spec, data, `${flag} ${text}`);
  const parameters = weights.layers.reduce((n, l) => n + l.kernel.length + (l.bias?.length ?? 0), 0);
  const kind = isChain(weights.spec) ? 'Sequential' : 'functional';
  return { spec: weights.spec, weights, description: `${text} (${kind}, ${weights.spec.layers.length} layers, ${parameters} parameters)` };
}

/** The run's initial model: the file's weights, or the architecture initialised from `seed`. */
export function initialModelOf(source: InitialModelSource, seed: number): Network {
  return source.weights ?? initNetwork(source.spec, seed);
}

/**
 * A model fits the data when one sample has as many values as its input
 * (samples are flat arrays, reshaped to the model's input shape) and its
 * output has one logit per class.
 */
function assertFitsData(spec: ModelSpec, data: ModelDataShape, what: string): void {
  const values = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
  if (values(spec.inputShape) !== values(data.sampleShape)) {
    throw new FedfuseError(
      'invalid_argument',
      `${what}: the model's input [${spec.inputShape.join(', ')}] does not fit the data's samples [${data.sampleShape.join(', ')}] (${values(spec.inputShape)} vs ${values(data.sampleShape)} values)`,
    );
  }
  const output = layerOutputShapes(spec).at(-1)!;
  if (output.length !== 1 || output[0] !== data.numClasses) {
    throw new FedfuseError('invalid_argument', `${what}: the model's output [${output.join(', ')}] must be [${data.numClasses}], one logit per class of the data`);
  }
}
