import { isAttributionMethod, type AttributionMethod } from '../../common/attribution/index.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import {
  aggregatorPlan,
  AGGREGATORS,
  DEFAULT_FEDPROX_MU,
  DEFAULT_TRAIN_FROM,
  effectiveTrainFrom,
  HETEROGENEOUS_AGGREGATORS,
  isAggregatorName,
  type AggregatorName,
  type TrainFrom,
} from '../aggregation/aggregators.ts';

/**
 * One arm of an experiment: which aggregator the server runs and what the
 * clients do for it. Parsed from `--aggregator NAME[:PARAM]`, NAME one of
 * the server's aggregators (server/aggregation/aggregators.ts):
 * - `kf-linear`, `kf-gradient`, `hf` (neuron fusion); PARAM overrides `--importance`, e.g. `kf-linear:uniform`;
 * - `fedprox`: FedAvg on the server, proximal term on the clients; PARAM is mu
 *   (default `--mu` when it is > 0, else 0.01);
 * - `fedavg`, `average`, `fedavg-prior`, `scaffold`, `feddf`, `fednova`: no PARAM.
 * `--train-from` applies to kf-linear, hf and feddf (aggregators.ts).
 * `--client-widths` applies to kf-linear, kf-gradient and heterofl; the
 * other arms of the same experiment run every client at the global width.
 */
export const AGGREGATOR_NAMES = AGGREGATORS;
export type { AggregatorName };
export { DEFAULT_FEDPROX_MU };

/** Neuron importance for kf-linear and hf (the attribution methods of common/attribution). */
export const IMPORTANCE_NAMES: readonly AttributionMethod[] = ['conductance', 'grad-x-act', 'ablation', 'uniform', 'activation'];

/** `compare --all`: every aggregator of the benchmark (hf needs exactly 2 clients, average is FedAvg unweighted). */
export const ALL_COMPARED_AGGREGATORS = ['kf-linear', 'fedavg', 'fedavg-prior', 'fedprox', 'scaffold', 'feddf', 'fednova'] as const satisfies readonly AggregatorName[];

export interface AggregatorVariant {
  /** What tables, logs and the plot call it: 'kf-linear (grad-x-act)', 'fedprox (mu=0.01)'. */
  readonly label: string;
  readonly name: AggregatorName;
  /** What the round records name as the round's aggregator (the fusion method for kf-linear, hf, fedavg, average; else the name). */
  readonly method: string;
  /** Neuron importance for kf-linear and hf; null for the others. */
  readonly importance: AttributionMethod | null;
  /** The clients' FedProx proximal term; 0 = plain local training. */
  readonly proximalMu: number;
  /** What the clients train from next round (always 'served' where --train-from does not apply). */
  readonly trainFrom: TrainFrom;
  /**
   * --client-widths for the arms that train several widths (kf-linear,
   * kf-gradient, heterofl); null for the others, whose clients all train the
   * global width (the full-width reference), and when no width is below 1.
   */
  readonly clientWidths: readonly number[] | null;
}

export interface AggregatorDefaults {
  readonly importance: AttributionMethod;
  readonly mu: number;
  readonly trainFrom: TrainFrom;
  /** Absent = null. */
  readonly clientWidths?: readonly number[] | null;
}

export function parseAggregatorVariant(text: string, defaults: AggregatorDefaults): AggregatorVariant {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const name = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const param = colon < 0 ? undefined : trimmed.slice(colon + 1);
  if (!isAggregatorName(name)) {
    throw invalid(`unknown aggregator '${text}'; expected one of ${AGGREGATOR_NAMES.join(', ')} (e.g. kf-linear:uniform, fedprox:0.01)`);
  }
  const plan = aggregatorPlan(name);
  const clientWidths =
    defaults.clientWidths != null && defaults.clientWidths.some((w) => w < 1) && (HETEROGENEOUS_AGGREGATORS as readonly string[]).includes(name) ? defaults.clientWidths : null;
  // A heterogeneous fusion trains from what it fused (no average exists across widths): fusion-strategy.ts.
  const trainFrom = effectiveTrainFrom(plan, defaults.trainFrom);
  const notes = (extra: string[]): string => {
    const all = [
      ...extra,
      ...(defaults.mu > 0 && name !== 'fedprox' ? [`mu=${defaults.mu}`] : []),
      ...(plan.trainFromApplies && trainFrom !== DEFAULT_TRAIN_FROM ? [`train from ${trainFrom}`] : []),
      ...(clientWidths !== null ? [`widths ${clientWidths.join(',')}`] : []),
    ];
    return all.length === 0 ? '' : ` (${all.join(', ')})`;
  };
  switch (name) {
    case 'kf-linear':
    case 'kf-gradient':
    case 'hf': {
      const importance = param === undefined ? defaults.importance : parseImportance(param, text);
      return { label: `${name}${notes([importance])}`, name, method: name, importance, proximalMu: defaults.mu, trainFrom, clientWidths };
    }
    case 'fedprox': {
      const mu = param === undefined ? (defaults.mu > 0 ? defaults.mu : DEFAULT_FEDPROX_MU) : parseMu(param, text);
      if (!(mu > 0)) throw invalid(`fedprox needs mu > 0, got ${mu} (use fedavg for mu = 0)`);
      return { label: `fedprox (mu=${mu})`, name, method: 'fedprox', importance: null, proximalMu: mu, trainFrom, clientWidths };
    }
    default:
      if (param !== undefined) throw invalid(`aggregator '${name}' takes no parameter, got '${text}'`);
      return { label: `${name}${notes([])}`, name, method: name, importance: null, proximalMu: defaults.mu, trainFrom, clientWidths };
  }
}

/** Throws unless every label is distinct: two identical arms would only double the time. */
export function assertDistinctVariants(variants: readonly AggregatorVariant[]): void {
  const seen = new Set<string>();
  for (const v of variants) {
    if (seen.has(v.label)) throw invalid(`aggregator '${v.label}' is given twice`);
    seen.add(v.label);
  }
}

export function parseImportance(text: string, context = text): AttributionMethod {
  if (!isAttributionMethod(text)) throw invalid(`unknown importance '${text}' in '${context}'; expected one of ${IMPORTANCE_NAMES.join(', ')}`);
  return text;
}

/** 'conductance', 'grad-x-act' and 'ablation' need labels: the clients compute them and send attribution summaries. */
export function isClientImportance(importance: AttributionMethod): boolean {
  return importance === 'conductance' || importance === 'grad-x-act' || importance === 'ablation';
}

export function parseMu(text: string, context = text): number {
  const mu = /^\s*[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(mu) || mu < 0) throw invalid(`mu must be a number >= 0, got '${text}' in '${context}'`);
  return mu;
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}
