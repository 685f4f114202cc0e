import { isAttributionMethod, type AttributionMethod } from '../../common/attribution/index.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import type { FusionMethod } from '../fusion/index.ts';

/**
 * One arm of an experiment: which aggregation the server runs and what the
 * clients do for it. Parsed from `--aggregator NAME[:PARAM]`:
 * - `kf-linear`, `hf` (neuron fusion); PARAM overrides `--importance`, e.g. `kf-linear:uniform`;
 * - `fedavg`, `average` (parameter means; no PARAM);
 * - `fedprox`: FedAvg on the server, proximal term on the clients; PARAM is mu
 *   (default `--mu` when it is > 0, else 0.01).
 */
export const AGGREGATOR_NAMES = ['kf-linear', 'hf', 'fedavg', 'average', 'fedprox'] as const;
export type AggregatorName = (typeof AGGREGATOR_NAMES)[number];

/** Neuron importance for kf-linear and hf (the attribution methods of common/attribution). */
export const IMPORTANCE_NAMES: readonly AttributionMethod[] = ['conductance', 'grad-x-act', 'ablation', 'uniform', 'activation'];

/** mu of `fedprox` when neither PARAM nor `--mu` gives one (Li et al. 2020 try 0.001 to 1; 0.01 is their usual pick). */
export const DEFAULT_FEDPROX_MU = 0.01;

export interface AggregatorVariant {
  /** What tables, logs and the plot call it: 'kf-linear (grad-x-act)', 'fedprox (mu=0.01)'. */
  readonly label: string;
  readonly name: AggregatorName;
  /** What the server's fusion runs. */
  readonly method: FusionMethod;
  /** Neuron importance for kf-linear and hf; null for the parameter means. */
  readonly importance: AttributionMethod | null;
  /** The clients' FedProx proximal term; 0 = plain local training. */
  readonly proximalMu: number;
}

export interface AggregatorDefaults {
  readonly importance: AttributionMethod;
  readonly mu: number;
}

export function parseAggregatorVariant(text: string, defaults: AggregatorDefaults): AggregatorVariant {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const name = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const param = colon < 0 ? undefined : trimmed.slice(colon + 1);
  if (!isAggregatorName(name)) {
    throw invalid(`unknown aggregator '${text}'; expected one of ${AGGREGATOR_NAMES.join(', ')} (e.g. kf-linear:uniform, fedprox:0.01)`);
  }
  const muNote = (mu: number): string => (mu > 0 ? `, mu=${mu}` : '');
  switch (name) {
    case 'kf-linear':
    case 'hf': {
      const importance = param === undefined ? defaults.importance : parseImportance(param, text);
      return { label: `${name} (${importance}${muNote(defaults.mu)})`, name, method: name, importance, proximalMu: defaults.mu };
    }
    case 'fedavg':
    case 'average':
      if (param !== undefined) throw invalid(`aggregator '${name}' takes no parameter, got '${text}'`);
      return { label: `${name}${defaults.mu > 0 ? ` (mu=${defaults.mu})` : ''}`, name, method: name, importance: null, proximalMu: defaults.mu };
    case 'fedprox': {
      const mu = param === undefined ? (defaults.mu > 0 ? defaults.mu : DEFAULT_FEDPROX_MU) : parseMu(param, text);
      if (!(mu > 0)) throw invalid(`fedprox needs mu > 0, got ${mu} (use fedavg for mu = 0)`);
      return { label: `fedprox (mu=${mu})`, name, method: 'fedavg', importance: null, proximalMu: mu };
    }
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

function isAggregatorName(s: string): s is AggregatorName {
  return (AGGREGATOR_NAMES as readonly string[]).includes(s);
}

export function parseMu(text: string, context = text): number {
  const mu = /^\s*[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(mu) || mu < 0) throw invalid(`mu must be a number >= 0, got '${text}' in '${context}'`);
  return mu;
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}
