import { FedfuseError } from '../../common/errors/index.ts';
import { hiddenWidthsAtFraction } from '../../common/model/width-fractions.ts';
import { expectedKernelShapes, validateNetwork, type Network } from '../../common/model/network.ts';
import { withHiddenWidths, type ModelSpec } from '../../common/model/spec.ts';
import { HETEROGENEOUS_AGGREGATORS, type AggregatorName } from './aggregators.ts';
import type { ArrayRecord, RecordDict } from '../../common/records/index.ts';
import { subNetwork } from '../fusion/index.ts';

/**
 * Heterogeneous clients (--client-widths): each client trains a fraction of
 * the global model's hidden widths (common/model/width-fractions.ts).
 *
 * Which fraction a client gets, a pure function of its id so that a task
 * re-sent after a reconnect or a restart has the same width without
 * anything stored: a client id ending in a number n (client-7, node12) gets
 * widths[n mod widths.length], so numbered clients are dealt the widths
 * round-robin (fedfuse simulate numbers its clients 0, 1, ...); any other id
 * gets widths[FNV-1a(id) mod widths.length].
 *
 * A client that declared a width capacity in its hello (a device that can
 * train at most that fraction) gets the largest of the widths not above it
 * instead; none fits: invalid_argument (checkWidthCapacity, at hello).
 */
export function widthOfClient(clientId: string, widths: readonly number[], capacity: number | null = null): number {
  if (capacity !== null) return widthForCapacity(widths, capacity);
  if (widths.length === 0) return 1;
  const digits = /(\d+)$/.exec(clientId);
  const n = digits !== null ? Number(BigInt(digits[1]!) % BigInt(widths.length)) : fnv1a(clientId) % widths.length;
  return widths[n]!;
}

/** The largest of `widths` not above `capacity`; a one-line invalid_argument when none is. */
export function widthForCapacity(widths: readonly number[], capacity: number): number {
  const listed = widths.length === 0 ? [1] : widths;
  const fitting = listed.filter((w) => w <= capacity + 1e-9);
  if (fitting.length === 0) {
    throw new FedfuseError(
      'invalid_argument',
      widths.length === 0 || !isHeterogeneous(widths)
        ? `width_capacity ${capacity}: this run trains the global width only (the server has no --client-widths below 1)`
        : `width_capacity ${capacity} is below every width this run trains (${[...new Set(widths)].join(', ')})`,
    );
  }
  return Math.max(...fitting);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Checks a --client-widths list: fractions in (0, 1]; one line otherwise. */
export function checkClientWidths(widths: readonly number[]): void {
  if (widths.length === 0) throw new FedfuseError('invalid_argument', '--client-widths needs at least one width fraction, e.g. 1,0.5,0.25');
  widths.forEach((w) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || !(w > 0 && w <= 1)) {
      throw new FedfuseError('invalid_argument', `--client-widths: each width is a fraction of the global width in (0, 1], got ${String(w)}`);
    }
  });
}

/**
 * Everything about a run's --client-widths that can be refused before it
 * starts, each as one line: the fractions, the aggregator (only
 * HETEROGENEOUS_AGGREGATORS take widths below 1) and the model (a level
 * whose channels a reshape moves into positions cannot shrink).
 */
export function checkClientWidthsForRun(widths: readonly number[], aggregator: AggregatorName, spec: ModelSpec): void {
  checkClientWidths(widths);
  if (!isHeterogeneous(widths)) return;
  if (!(HETEROGENEOUS_AGGREGATORS as readonly string[]).includes(aggregator)) {
    throw new FedfuseError('invalid_argument', `--client-widths below 1 needs --aggregator ${HETEROGENEOUS_AGGREGATORS.join(', ')}; ${aggregator} combines models of one shape only`);
  }
  for (const w of reducedWidths(widths)) {
    try {
      hiddenWidthsAtFraction(spec, w);
    } catch (e) {
      if (e instanceof FedfuseError) throw new FedfuseError(e.code, `--client-widths: ${e.message}`, { cause: e });
      throw e;
    }
  }
}

/** A heterogeneous run: some client trains below the global width. */
export function isHeterogeneous(widths: readonly number[] | undefined): widths is readonly number[] {
  return widths !== undefined && widths.some((w) => w < 1);
}

/** The distinct fractions below 1, ascending. */
export function reducedWidths(widths: readonly number[]): number[] {
  return [...new Set(widths.filter((w) => w < 1))].sort((a, b) => a - b);
}

/** The strategy-state record a width's task model is stored under (kf-linear's fused-down models). */
export function taskModelRecordName(fraction: number): string {
  return `hetero.task:${fraction}`;
}

/**
 * A width's task model as an array record. Its tensors are named
 * "param{p}/kernel" and "param{p}/bias", not "layer{l}/...": the record
 * codec checks model-named tensors against the global model's shapes, and
 * these have the smaller widths.
 */
export function taskModelRecord(net: Network): ArrayRecord {
  const tensors = new Map<string, { shape: readonly number[]; values: Float32Array }>();
  net.layers.forEach((lw, p) => {
    tensors.set(`param${p}/kernel`, { shape: [...lw.kernelShape], values: lw.kernel });
    if (lw.bias !== null) tensors.set(`param${p}/bias`, { shape: [lw.bias.length], values: lw.bias });
  });
  return tensors;
}

/**
 * The model a client of `fraction` trains from: the global training model
 * itself at 1; else the width's stored task model when the strategy state
 * holds one (kf-linear: the global model fused down to the width), else the
 * global model's first channels (HeteroFL's sub-network; kf-linear's round
 * 1, whose global model is the untrained initial one).
 */
export function taskModelAtWidth(training: Network, state: RecordDict, fraction: number): Network {
  if (fraction === 1) return training;
  const hidden = hiddenWidthsAtFraction(training.spec, fraction);
  const stored = state.arrays.get(taskModelRecordName(fraction));
  if (stored === undefined) return subNetwork(training, hidden);
  const spec = withHiddenWidths(training.spec, hidden);
  const layers = expectedKernelShapes(spec).map((shape, p) => {
    const kernel = stored.get(`param${p}/kernel`);
    if (kernel === undefined) throw new FedfuseError('internal', `task model of width ${fraction}: tensor param${p}/kernel is missing`);
    const bias = stored.get(`param${p}/bias`);
    return { kernel: Float32Array.from(kernel.values), kernelShape: shape, bias: bias === undefined ? null : Float32Array.from(bias.values) };
  });
  const net: Network = { spec, layers };
  validateNetwork(net, `task model of width ${fraction}`);
  return net;
}
