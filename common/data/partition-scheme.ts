import { FedfuseError } from '../errors/index.ts';

/**
 * How samples are dealt to clients (see partition.ts for each rule):
 * - iid: uniformly at random, equal sizes.
 * - dirichlet: label skew; each class is shared among clients by proportions
 *   drawn from Dirichlet(alpha, ..., alpha). Small alpha (0.1) = each client
 *   sees few classes; large alpha (100) = close to iid.
 * - shards: pathological label skew (McMahan et al.); each client holds
 *   exactly `classesPerClient` classes.
 * - split-by-k: the paper's non-IID protocol; per class, shares from a
 *   Dirichlet with concentrations evenly spaced from 1 to 5 (method.md).
 * - quantity-skew: client sizes from Dirichlet(alpha), labels iid.
 */
export type PartitionScheme =
  | { readonly kind: 'iid' }
  | { readonly kind: 'dirichlet'; readonly alpha: number }
  | { readonly kind: 'shards'; readonly classesPerClient: number }
  | { readonly kind: 'split-by-k' }
  | { readonly kind: 'quantity-skew'; readonly alpha: number };

export type PartitionKind = PartitionScheme['kind'];

const FORMS = "'iid', 'dirichlet:<alpha>', 'shards:<classes per client>', 'split-by-k', 'quantity:<alpha>'";

/**
 * Parses the command-line form of a scheme: `iid`, `dirichlet:0.1`,
 * `shards:2`, `split-by-k`, `quantity:0.5` (also `quantity-skew:0.5`).
 */
export function parsePartitionScheme(text: string): PartitionScheme {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const name = (colon < 0 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  const param = colon < 0 ? undefined : trimmed.slice(colon + 1).trim();
  const needParam = (what: string): string => {
    if (param === undefined || param === '') throw invalid(`partition scheme '${text}' needs ${what}, e.g. '${name}:${what === 'alpha' ? '0.5' : '2'}'`);
    return param;
  };
  const noParam = (): void => {
    if (param !== undefined) throw invalid(`partition scheme '${name}' takes no parameter, got '${text}'`);
  };
  let scheme: PartitionScheme;
  switch (name) {
    case 'iid':
      noParam();
      scheme = { kind: 'iid' };
      break;
    case 'split-by-k':
      noParam();
      scheme = { kind: 'split-by-k' };
      break;
    case 'dirichlet':
      scheme = { kind: 'dirichlet', alpha: parseNumber(needParam('alpha'), text) };
      break;
    case 'quantity':
    case 'quantity-skew':
      scheme = { kind: 'quantity-skew', alpha: parseNumber(needParam('alpha'), text) };
      break;
    case 'shards':
      scheme = { kind: 'shards', classesPerClient: parseNumber(needParam('classes per client'), text) };
      break;
    default:
      throw invalid(`unknown partition scheme '${text}'; expected one of ${FORMS}`);
  }
  validatePartitionScheme(scheme);
  return scheme;
}

/** The inverse of parsePartitionScheme, for logs and configuration files. */
export function formatPartitionScheme(scheme: PartitionScheme): string {
  switch (scheme.kind) {
    case 'iid':
    case 'split-by-k':
      return scheme.kind;
    case 'dirichlet':
      return `dirichlet:${scheme.alpha}`;
    case 'shards':
      return `shards:${scheme.classesPerClient}`;
    case 'quantity-skew':
      return `quantity:${scheme.alpha}`;
  }
}

/** Throws 'invalid_argument' unless the scheme's parameters are usable (alpha > 0, classesPerClient a positive integer). */
export function validatePartitionScheme(scheme: PartitionScheme): void {
  switch (scheme.kind) {
    case 'iid':
    case 'split-by-k':
      return;
    case 'dirichlet':
    case 'quantity-skew':
      if (!(Number.isFinite(scheme.alpha) && scheme.alpha > 0)) {
        throw invalid(`${formatPartitionScheme(scheme)}: alpha must be a finite number > 0, got ${scheme.alpha}`);
      }
      return;
    case 'shards':
      if (!(Number.isInteger(scheme.classesPerClient) && scheme.classesPerClient >= 1)) {
        throw invalid(`${formatPartitionScheme(scheme)}: classes per client must be an integer >= 1, got ${scheme.classesPerClient}`);
      }
      return;
    default: {
      const unknown: never = scheme;
      throw invalid(`unknown partition scheme ${JSON.stringify(unknown)}; expected one of ${FORMS}`);
    }
  }
}

function parseNumber(s: string, text: string): number {
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
  if (Number.isNaN(v)) throw invalid(`partition scheme '${text}': '${s}' is not a number`);
  return v;
}

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}
