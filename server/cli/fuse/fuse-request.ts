import { FedfuseError } from '../../../common/errors/index.ts';
import { NEURON_FUSION_SETTINGS, type NeuronFusionSettings } from '../../aggregation/aggregation-jobs.ts';
import { FUSION_METHODS, SERVER_IMPORTANCES, isNeuronFusionMethod, type FusionMethod, type ServerImportance } from '../../fusion/index.ts';

/**
 * What `fedfuse fuse` was asked to do, checked and typed. Commander hands the
 * flags over as strings; they are parsed here (not by commander argument
 * parsers) so that every bad value becomes a FedfuseError: the CLI then prints
 * one line and exits 2, like every other input error of this command.
 */
export interface FuseFlags {
  readonly model?: readonly string[];
  readonly calibration?: string;
  readonly method?: string;
  readonly importance?: string;
  readonly neuronFusion?: string;
  readonly widths?: string;
  readonly seed?: string;
  readonly examples?: string;
  readonly out?: string;
  readonly eval?: string;
  readonly evalLabels?: string;
  readonly report?: string;
}

/** Where the labelled evaluation samples come from. */
export type EvaluationSource =
  | { readonly kind: 'npy'; readonly images: string; readonly labels: string }
  | { readonly kind: 'dataset'; readonly source: string };

export interface FuseRequest {
  /** Paths of the parents' model.json files, in parent order (parent 0 first). */
  readonly models: readonly string[];
  /** A data-set source (see DATASET_SOURCE_HELP); null only for the parameter means, which do not use one. */
  readonly calibration: string | null;
  readonly method: FusionMethod;
  /** kf-linear and hf only. */
  readonly importance: ServerImportance;
  /**
   * kf-linear and hf only: 'paper' (the published method, the default here:
   * models from disk are typically trained independently) or 'federated'
   * (FEDERATED_FUSION_SETTINGS, for parents that started from one shared model).
   */
  readonly neuronFusion: NeuronFusionSettings;
  /** Hidden widths of the fused model; null keeps the first parent's. */
  readonly widths: readonly number[] | null;
  readonly seed: number;
  /**
   * Training examples behind each parent, or null. fedavg: its weights (null
   * means equal). kf-linear and hf with 'federated': the FedAvg logit-scale
   * reference and the class evidence.
   */
  readonly examples: readonly number[] | null;
  readonly out: string;
  readonly evaluation: EvaluationSource | null;
  /** File to write the fusion report (JSON) to, or null. */
  readonly report: string | null;
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}

/** "256,128" -> [256, 128]; every entry an integer >= `min`. */
export function parseIntegerList(text: string, flag: string, min: number): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || values.some((v) => !Number.isSafeInteger(v) || v < min)) {
    throw invalid(`${flag} "${text}" must be integers >= ${min} separated by commas (e.g. ${flag} ${min === 0 ? '600,400' : '256,128'})`);
  }
  return values;
}

function parseSeed(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw invalid(`--seed "${text}" is not an integer`);
  return n;
}

function parseMethod(text: string | undefined): FusionMethod {
  const method = text ?? 'kf-linear';
  if (!(FUSION_METHODS as readonly string[]).includes(method)) {
    throw invalid(`unknown --method "${method}": use ${FUSION_METHODS.join(', ')}`);
  }
  return method as FusionMethod;
}

function parseImportance(text: string | undefined, method: FusionMethod): ServerImportance {
  if (text === undefined) return 'uniform';
  if (!(SERVER_IMPORTANCES as readonly string[]).includes(text)) {
    throw invalid(`unknown --importance "${text}": use ${SERVER_IMPORTANCES.join(' or ')}`);
  }
  if (!isNeuronFusionMethod(method)) throw invalid(`--importance applies to kf-linear, kf-gradient and hf, not ${method}`);
  return text as ServerImportance;
}

function parseNeuronFusion(text: string | undefined, method: FusionMethod): NeuronFusionSettings {
  if (text === undefined) return 'paper';
  if (!(NEURON_FUSION_SETTINGS as readonly string[]).includes(text)) {
    throw invalid(`unknown --neuron-fusion "${text}": use ${NEURON_FUSION_SETTINGS.join(' or ')}`);
  }
  if (!isNeuronFusionMethod(method)) throw invalid(`--neuron-fusion applies to kf-linear, kf-gradient and hf, not ${method}`);
  return text as NeuronFusionSettings;
}

/** --examples: fedavg's weights, or (federated kf-linear/hf) the parents' example counts; null when not given. */
function parseExamples(text: string | undefined, method: FusionMethod, neuronFusion: NeuronFusionSettings, modelCount: number): number[] | null {
  if (text === undefined) return null;
  const usable = method === 'fedavg' || method === 'ot-fusion' || method === 'weight-matching' || (isNeuronFusionMethod(method) && neuronFusion === 'federated');
  if (!usable) {
    // The paper's neuron fusion has no use for example counts; say how to get the settings that do.
    const what = method === 'average' ? method : `${method} with --neuron-fusion paper (the default)`;
    throw invalid(`--examples applies to fedavg and to kf-linear/kf-gradient/hf with --neuron-fusion federated, not ${what}`);
  }
  const examples = parseIntegerList(text, '--examples', 0);
  if (examples.length !== modelCount) throw invalid(`--examples has ${examples.length} counts for ${modelCount} models: give one per --model, in the same order`);
  if (examples.every((n) => n === 0)) throw invalid('--examples must not all be 0');
  return examples;
}

function parseEvaluation(evalFlag: string | undefined, labels: string | undefined): EvaluationSource | null {
  if (evalFlag === undefined) {
    if (labels !== undefined) throw invalid('--eval-labels needs --eval <images.npy>');
    return null;
  }
  if (evalFlag.toLowerCase().endsWith('.npy')) {
    if (labels === undefined) throw invalid(`--eval ${evalFlag} is a .npy file of images: give its labels with --eval-labels <labels.npy>`);
    return { kind: 'npy', images: evalFlag, labels };
  }
  if (labels !== undefined) throw invalid(`--eval-labels goes with --eval <images.npy>; "${evalFlag}" brings its own labels`);
  return { kind: 'dataset', source: evalFlag };
}

export function resolveFuseRequest(flags: FuseFlags): FuseRequest {
  const models = flags.model ?? [];
  if (models.length < 1) throw invalid('no model to fuse: give at least one --model <model.json> (repeat the flag for each parent)');
  const method = parseMethod(flags.method);
  if (method === 'hf' && models.length !== 2) {
    throw invalid(`hf fuses exactly 2 models, got ${models.length}; use --method kf-linear for any number`);
  }
  if (flags.out === undefined || flags.out.trim() === '') throw invalid('--out <dir> is required: the folder the fused model.json and weights.bin are written to');
  const neuronLevel = isNeuronFusionMethod(method) || method === 'ot-fusion';
  if (neuronLevel && flags.calibration === undefined) {
    throw invalid(`${method} needs --calibration <source>: unlabelled inputs (e.g. mnist:400 or calibration.npy)`);
  }
  const neuronFusion = parseNeuronFusion(flags.neuronFusion, method);
  const examples = parseExamples(flags.examples, method, neuronFusion, models.length);
  return {
    models,
    calibration: flags.calibration ?? null,
    method,
    importance: parseImportance(flags.importance, method),
    neuronFusion,
    widths: flags.widths === undefined ? null : parseIntegerList(flags.widths, '--widths', 1),
    seed: parseSeed(flags.seed),
    examples,
    out: flags.out,
    evaluation: parseEvaluation(flags.eval, flags.evalLabels),
    report: flags.report ?? null,
  };
}
