import { validateAttributionSummary } from '../../common/attribution/summary.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import { validateNetwork, type Network } from '../../common/model/network.ts';
import { layerWidths, weightedLayerIndices, withHiddenWidths, type LayerSpec, type ModelSpec } from '../../common/model/spec.ts';
import { channelSpaces } from '../../common/model/channel-spaces.ts';
import {
  DEFAULT_CONV_ROW_BUDGET,
  DEFAULT_SEED,
  FUSION_METHODS,
  GROUPING_STARTS,
  OUTPUT_COMBINATIONS,
  OUTPUT_SCALES,
  RIDGE_PRIORS,
  SERVER_IMPORTANCES,
  type FusionOptions,
  type ResolvedNeuronFusionOptions,
} from './fusion-options.ts';
import { resolveKMeansOptions } from './kmeans/index.ts';
import { DEFAULT_GRADIENT_OPTIONS, type GradientOptions } from './gradient-level.ts';
import { DEFAULT_RIDGE_OPTIONS, type RidgeOptions } from './linalg/index.ts';

/**
 * All input checks of a fusion, in one place, before any tensor is made:
 * a bad request fails fast with a typed error the client can be shown.
 */

/** Number of values in one input sample. */
export function inputSize(spec: ModelSpec): number {
  return spec.inputShape.reduce((a, b) => a * b, 1);
}

/** A layer's kind and hyper-parameters, its width left out unless it is the output layer (hidden widths may differ between parents). */
function describeLayer(layer: LayerSpec, isOutput: boolean): string {
  if (isOutput) return JSON.stringify(layer);
  if (layer.kind === 'dense') {
    const { units: _units, ...rest } = layer;
    return JSON.stringify(rest);
  }
  if (layer.kind === 'conv2d') {
    const { filters: _filters, ...rest } = layer;
    return JSON.stringify(rest);
  }
  return JSON.stringify(layer);
}

/**
 * Throws shape_mismatch unless `other` has the layer structure of `reference`:
 * same input shape, output activation, layer kinds and hyper-parameters, and
 * number of classes. Hidden widths may differ (heterogeneous clients).
 */
export function assertSameLayerStructure(reference: ModelSpec, other: ModelSpec, what: string): void {
  const fail = (detail: string): never => {
    throw new FedfuseError('shape_mismatch', `${what} does not have the layer structure of parent 0: ${detail}`);
  };
  if (reference.inputShape.length !== other.inputShape.length || reference.inputShape.some((d, i) => d !== other.inputShape[i])) {
    fail(`input shape [${other.inputShape.join(', ')}] vs [${reference.inputShape.join(', ')}]`);
  }
  if (reference.outputActivation !== other.outputActivation) {
    fail(`output activation ${other.outputActivation} vs ${reference.outputActivation}`);
  }
  if (reference.layers.length !== other.layers.length) fail(`${other.layers.length} layers vs ${reference.layers.length}`);
  let lastWeighted = -1;
  reference.layers.forEach((l, i) => {
    if (l.kind === 'dense' || l.kind === 'conv2d') lastWeighted = i;
  });
  reference.layers.forEach((layer, i) => {
    const a = describeLayer(layer, i === lastWeighted);
    const b = describeLayer(other.layers[i]!, i === lastWeighted);
    if (a !== b && !(layer.kind === 'reshape' && other.layers[i]!.kind === 'reshape')) fail(`layer ${i} is ${b}, expected ${a}`);
  });
  // A reshape that keeps channels follows its input's width (a flattening one's size, say): the other
  // parent's reshapes must be the reference's at the other parent's widths (withHiddenWidths).
  let atItsWidths: ModelSpec;
  try {
    atItsWidths = withHiddenWidths(reference, layerWidths(other).slice(0, -1));
  } catch (e) {
    return fail(`its widths do not fit the reference's layers (${(e as Error).message})`);
  }
  reference.layers.forEach((layer, i) => {
    if (layer.kind !== 'reshape') return;
    const a = JSON.stringify(atItsWidths.layers[i]);
    const b = JSON.stringify(other.layers[i]);
    if (a !== b) fail(`layer ${i} is ${b}, expected ${a} at its widths`);
  });
}

/** Validates every parent and that they share one layer structure. */
export function validateParents(parents: readonly Network[]): void {
  if (parents.length < 1) throw new FedfuseError('invalid_argument', 'fusion needs at least one parent model');
  parents.forEach((net, k) => validateNetwork(net, `parent ${k}`));
  for (let k = 1; k < parents.length; k++) assertSameLayerStructure(parents[0]!.spec, parents[k]!.spec, `parent ${k}`);
}

/** Checks that `values` holds whole samples of `spec`'s input, finite; returns the number of samples. */
export function validateSamples(values: Float32Array, spec: ModelSpec, what: string, allowEmpty: boolean): number {
  if (!(values instanceof Float32Array)) throw new FedfuseError('invalid_argument', `${what} must be a Float32Array`);
  const size = inputSize(spec);
  if (values.length % size !== 0) {
    throw new FedfuseError(
      'shape_mismatch',
      `${what} has ${values.length} values, not a whole number of samples of shape [${spec.inputShape.join(', ')}] (${size} values each)`,
    );
  }
  const samples = values.length / size;
  if (samples < 1 && !allowEmpty) throw new FedfuseError('shape_mismatch', `${what} is empty: at least one sample is needed`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new FedfuseError('non_finite', `${what} value ${i} (sample ${Math.floor(i / size)}) is ${values[i]}`);
  }
  return samples;
}

function hiddenWidthsOf(net: Network): number[] {
  return layerWidths(net.spec).slice(0, -1);
}

function assertPositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new FedfuseError('invalid_argument', `${what} must be an integer >= 1, got ${value}`);
}

/** Parent-equal hidden widths, required by the parameter means and HF. */
export function assertEqualWidths(parents: readonly Network[], method: string): void {
  const reference = hiddenWidthsOf(parents[0]!);
  parents.forEach((net, k) => {
    const widths = hiddenWidthsOf(net);
    if (widths.some((w, l) => w !== reference[l])) {
      throw new FedfuseError(
        'shape_mismatch',
        `${method} needs parents with equal hidden widths; parent ${k} has [${widths.join(', ')}], parent 0 has [${reference.join(', ')}] (kf-linear fuses different widths)`,
      );
    }
  });
}

function checkTargetWidths(parents: readonly Network[], target: readonly number[] | undefined, method: string): number[] {
  const own = hiddenWidthsOf(parents[0]!);
  if (target === undefined) return own;
  if (!Array.isArray(target) || target.length !== own.length) {
    throw new FedfuseError('invalid_argument', `targetHiddenWidths must list ${own.length} hidden widths, got ${JSON.stringify(target)}`);
  }
  target.forEach((w, l) => assertPositiveInteger(w, `targetHiddenWidths[${l}]`));
  if (method !== 'kf-linear' && method !== 'kf-gradient' && target.some((w, l) => w !== own[l])) {
    throw new FedfuseError('invalid_argument', `${method} keeps the parents' widths [${own.join(', ')}]; only kf-linear and kf-gradient fuse into other widths`);
  }
  checkSpaceWidths(parents, own, target);
  target.forEach((w, l) => {
    const total = parents.reduce((s, net) => s + hiddenWidthsOf(net)[l]!, 0);
    if (w > total) {
      throw new FedfuseError(
        'invalid_argument',
        `targetHiddenWidths[${l}] = ${w} exceeds the ${total} neurons the parents have at that layer: every fused neuron needs at least one parent neuron`,
      );
    }
  });
  return [...target];
}

/**
 * Layers an add joins share one channel space and must keep one width; a
 * pinned space (the input's, a channel-moving reshape's) keeps its own.
 */
function checkSpaceWidths(parents: readonly Network[], own: readonly number[], target: readonly number[]): void {
  const spec = parents[0]!.spec;
  const spaces = channelSpaces(spec);
  const weighted = weightedLayerIndices(spec);
  const hidden = weighted.slice(0, -1);
  spaces.spaces.forEach((space) => {
    const members = space.members.map((i) => hidden.indexOf(i)).filter((l) => l !== -1);
    const first = members[0];
    if (first === undefined) return;
    for (const l of members) {
      if (target[l] !== target[first]) {
        throw new FedfuseError('invalid_argument', `targetHiddenWidths[${l}] = ${target[l]} but layers ${first} and ${l} are joined by a residual add and need one width (${target[first]})`);
      }
      if (space.pinned !== null && target[l] !== own[l]) {
        throw new FedfuseError('invalid_argument', `targetHiddenWidths[${l}] must stay ${own[l]}: that layer's channels feed a reshape that moves them into positions`);
      }
      const other = space.pinned === null ? -1 : parents.findIndex((net) => hiddenWidthsOf(net)[l] !== own[l]);
      if (other !== -1) {
        throw new FedfuseError('shape_mismatch', `parent ${other} has width ${hiddenWidthsOf(parents[other]!)[l]} at hidden layer ${l}, parent 0 has ${own[l]}: channels that a reshape moves into positions cannot be regrouped, so every parent needs the same width there`);
      }
    }
  });
}

function checkMethod(options: FusionOptions): void {
  if (options === null || typeof options !== 'object') throw new FedfuseError('invalid_argument', 'fusion options must be an object');
  if (!(FUSION_METHODS as readonly string[]).includes(options.method)) {
    throw new FedfuseError('invalid_argument', `unknown fusion method "${String(options.method)}": use ${FUSION_METHODS.join(', ')}`);
  }
}

/** FedAvg coefficients n_k / Σ n, or equal ones for 'average'. */
export function parameterMeanCoefficients(parents: readonly Network[], options: FusionOptions): number[] {
  if (options.method === 'average') return parents.map(() => 1 / parents.length);
  const counts = options.numExamples;
  if (counts === undefined) {
    throw new FedfuseError('invalid_argument', "fedavg needs numExamples (one per parent); use method 'average' for the plain mean");
  }
  if (counts.length !== parents.length) {
    throw new FedfuseError('invalid_argument', `numExamples has ${counts.length} entries for ${parents.length} parents`);
  }
  counts.forEach((n, k) => {
    if (!Number.isFinite(n) || n < 0) throw new FedfuseError('invalid_argument', `numExamples[${k}] must be a finite number >= 0, got ${n}`);
  });
  const total = counts.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new FedfuseError('invalid_argument', 'numExamples must not all be zero');
  return counts.map((n) => n / total);
}

/** Validates parents, calibration and options of a parameter mean (fedavg, average). Calibration is unused and may be empty. */
export function validateParameterMeanInputs(parents: readonly Network[], calibration: Float32Array, options: FusionOptions): { samples: number; coefficients: number[] } {
  checkMethod(options);
  validateParents(parents);
  assertEqualWidths(parents, options.method);
  checkTargetWidths(parents, options.targetHiddenWidths, options.method);
  const samples = validateSamples(calibration, parents[0]!.spec, 'calibration set', true);
  return { samples, coefficients: parameterMeanCoefficients(parents, options) };
}

/** Validates parents, calibration and options of kf-linear or hf, and fills in the defaults. */
export function resolveNeuronFusionInputs(
  parents: readonly Network[],
  calibration: Float32Array,
  options: FusionOptions,
): { samples: number; resolved: ResolvedNeuronFusionOptions } {
  checkMethod(options);
  const method = options.method;
  if (method !== 'kf-linear' && method !== 'kf-gradient' && method !== 'hf') throw new FedfuseError('internal', `${method} is not a neuron-level fusion`);
  validateParents(parents);
  if (method === 'hf') {
    if (parents.length !== 2) throw new FedfuseError('invalid_argument', `hf fuses exactly 2 parents, got ${parents.length}; use kf-linear for any number`);
    assertEqualWidths(parents, 'hf');
  }
  const targetHiddenWidths = checkTargetWidths(parents, options.targetHiddenWidths ?? hiddenWidthsOf(parents[0]!), method);
  const samples = validateSamples(calibration, parents[0]!.spec, 'calibration set', false);

  let importanceSource: ResolvedNeuronFusionOptions['importanceSource'];
  const importances = options.importances ?? null;
  if (options.importances !== undefined) {
    if (!Array.isArray(options.importances) || options.importances.length !== parents.length) {
      throw new FedfuseError('invalid_argument', `importances must hold one attribution summary per parent (${parents.length})`);
    }
    options.importances.forEach((s, k) => validateAttributionSummary(s, parents[k]!.spec, `importances of parent ${k}`));
    importanceSource = 'provided';
  } else {
    const requested = options.importance ?? 'uniform';
    if (!(SERVER_IMPORTANCES as readonly string[]).includes(requested)) {
      throw new FedfuseError('invalid_argument', `unknown server-side importance "${String(requested)}": use ${SERVER_IMPORTANCES.join(' or ')}`);
    }
    importanceSource = requested;
  }

  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new FedfuseError('invalid_argument', `seed must be an integer, got ${seed}`);
  const convRowBudget = options.convRowBudget ?? DEFAULT_CONV_ROW_BUDGET;
  assertPositiveInteger(convRowBudget, 'convRowBudget');
  const ridge: RidgeOptions = { ...DEFAULT_RIDGE_OPTIONS, ...(options.ridge?.relativeLambda === undefined ? {} : { relativeLambda: options.ridge.relativeLambda }) };
  if (!(ridge.relativeLambda > 0) || !Number.isFinite(ridge.relativeLambda)) {
    throw new FedfuseError('invalid_argument', `ridge.relativeLambda must be a positive number, got ${ridge.relativeLambda}`);
  }
  return {
    samples,
    resolved: {
      method,
      importances,
      importanceSource,
      targetHiddenWidths,
      seed,
      kmeans: resolveKMeansOptions(options.kmeans),
      gradient: resolveGradientOptions(options.gradient),
      ridge,
      convRowBudget,
      outputCombination: oneOf(options.outputCombination, OUTPUT_COMBINATIONS, 'class-mean', 'outputCombination'),
      classEvidence: checkClassEvidence(options.classEvidence, parents),
      ridgePrior: oneOf(options.ridgePrior, RIDGE_PRIORS, 'zero', 'ridgePrior'),
      groupingStart: oneOf(options.groupingStart, GROUPING_STARTS, 'farthest-point', 'groupingStart'),
      outputScale: oneOf(options.outputScale, OUTPUT_SCALES, 'fitted', 'outputScale'),
      outputPrior: checkOutputPrior(options.outputPrior, parents),
      numExamples: checkNumExamples(options, parents),
    },
  };
}

function resolveGradientOptions(given: FusionOptions['gradient']): GradientOptions {
  const o: GradientOptions = { ...DEFAULT_GRADIENT_OPTIONS, ...(given ?? {}) };
  if (!Number.isInteger(o.epochs) || o.epochs < 0) throw new FedfuseError('invalid_argument', `gradient.epochs must be an integer >= 0, got ${o.epochs}`);
  if (!Number.isInteger(o.patience) || o.patience < 1) throw new FedfuseError('invalid_argument', `gradient.patience must be an integer >= 1, got ${o.patience}`);
  for (const [name, v] of [['learningRate', o.learningRate], ['temperature', o.temperature]] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new FedfuseError('invalid_argument', `gradient.${name} must be a positive number, got ${v}`);
  }
  if (!(o.heldOutFraction > 0 && o.heldOutFraction < 1)) throw new FedfuseError('invalid_argument', `gradient.heldOutFraction must be in (0, 1), got ${o.heldOutFraction}`);
  return o;
}

function oneOf<T extends string>(value: T | undefined, allowed: readonly T[], fallback: T, what: string): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new FedfuseError('invalid_argument', `unknown ${what} "${String(value)}": use ${allowed.join(' or ')}`);
  }
  return value;
}

function outputClasses(parents: readonly Network[]): number {
  return layerWidths(parents[0]!.spec).at(-1)!;
}

function checkClassEvidence(evidence: FusionOptions['classEvidence'], parents: readonly Network[]): readonly (readonly number[])[] | null {
  if (evidence === undefined) return null;
  const classes = outputClasses(parents);
  if (!Array.isArray(evidence) || evidence.length !== parents.length) {
    throw new FedfuseError('invalid_argument', `classEvidence must hold one row per parent (${parents.length})`);
  }
  evidence.forEach((row, k) => {
    if (!Array.isArray(row) || row.length !== classes) throw new FedfuseError('shape_mismatch', `classEvidence of parent ${k} must have ${classes} entries`);
    row.forEach((v, c) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new FedfuseError('invalid_argument', `classEvidence[${k}][${c}] must be a finite number >= 0, got ${String(v)}`);
      }
    });
  });
  return evidence.map((row) => [...row]);
}

function checkOutputPrior(prior: FusionOptions['outputPrior'], parents: readonly Network[]): number[] | null {
  if (prior === undefined || prior === 'none') return null;
  const classes = outputClasses(parents);
  if (prior === 'uniform') return Array.from({ length: classes }, () => 1 / classes);
  if (!Array.isArray(prior) || prior.length !== classes || prior.some((p) => typeof p !== 'number' || !Number.isFinite(p) || !(p > 0))) {
    throw new FedfuseError('invalid_argument', `outputPrior must be 'uniform', 'none' or ${classes} positive shares`);
  }
  const total = prior.reduce((a, b) => a + b, 0);
  return prior.map((p) => p / total);
}

/** numExamples checked as FedAvg checks them (a neuron-level fusion uses them for its FedAvg reference scale and class evidence). */
function checkNumExamples(options: FusionOptions, parents: readonly Network[]): number[] | null {
  if (options.numExamples === undefined) return null;
  parameterMeanCoefficients(parents, { ...options, method: 'fedavg' });
  return [...options.numExamples];
}
