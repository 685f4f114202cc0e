import { FedfuseError } from '../errors/index.ts';
import { expectedKernelShapes, validateNetwork, type LayerWeights, type Network } from '../model/network.ts';
import { isWeightedLayer, type ModelSpec } from '../model/spec.ts';

/**
 * Named records that travel and are stored beside a round's models, in the
 * shape of Flower's RecordDict (a message's content is a dictionary of named
 * records: arrays, config), typed and small:
 * - an ArrayRecord is named float32 tensors (SCAFFOLD's control variates,
 *   FedDyn's state, any model-shaped quantity);
 * - a ConfigRecord is named scalars or number lists (a per-client model width,
 *   a step count, a flag).
 * Maps, not plain objects, so that looking up a name that is not there
 * (e.g. "constructor") is undefined rather than something inherited.
 * Values are validated where they enter (common/wire/record-codec.ts).
 */
export interface RecordTensor {
  /** Row-major (C order). */
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export type ArrayRecord = ReadonlyMap<string, RecordTensor>;

export type ConfigValue = number | string | boolean | readonly number[];
export type ConfigRecord = ReadonlyMap<string, ConfigValue>;

export interface RecordDict {
  readonly arrays: ReadonlyMap<string, ArrayRecord>;
  readonly configs: ReadonlyMap<string, ConfigRecord>;
}

/** No records: what most aggregators send and receive. */
export const EMPTY_RECORDS: RecordDict = Object.freeze({ arrays: new Map(), configs: new Map() });

export function isEmptyRecords(records: RecordDict): boolean {
  return records.arrays.size === 0 && records.configs.size === 0;
}

/** A RecordDict from plain objects: `recordDict({ 'scaffold.c': networkArrays(c) }, { model: { width: 64 } })`. */
export function recordDict(
  arrays: Readonly<Record<string, ArrayRecord>> = {},
  configs: Readonly<Record<string, Readonly<Record<string, ConfigValue>>>> = {},
): RecordDict {
  return {
    arrays: new Map(Object.entries(arrays)),
    configs: new Map(Object.entries(configs).map(([name, entries]) => [name, new Map(Object.entries(entries))])),
  };
}

/** `base` with `overrides`' records added or replaced, by name. */
export function mergeRecords(base: RecordDict, overrides: RecordDict): RecordDict {
  return {
    arrays: new Map([...base.arrays, ...overrides.arrays]),
    configs: new Map([...base.configs, ...overrides.configs]),
  };
}

/** Name of a model tensor in an ArrayRecord (and on the wire): "layer{l}/kernel", "layer{l}/bias", l counting weighted layers. */
export function modelTensorName(l: number, part: 'kernel' | 'bias'): string {
  return `layer${l}/${part}`;
}

export const MODEL_TENSOR_NAME = /^layer(0|[1-9][0-9]{0,8})\/(kernel|bias)$/;

/**
 * A model-shaped quantity as an ArrayRecord: one tensor per kernel and bias,
 * named like the model's tensors, so the codec checks each against the
 * model's shape. The tensors view the network's arrays (no copy).
 */
export function networkArrays(net: Network): ArrayRecord {
  const tensors = new Map<string, RecordTensor>();
  net.layers.forEach((lw, l) => {
    tensors.set(modelTensorName(l, 'kernel'), { shape: [...lw.kernelShape], values: lw.kernel });
    if (lw.bias !== null) tensors.set(modelTensorName(l, 'bias'), { shape: [lw.bias.length], values: lw.bias });
  });
  return tensors;
}

/**
 * The Network `spec` whose weights are the record's model-named tensors:
 * exactly one kernel (and bias, when the layer has one) per weighted layer,
 * of the spec's shapes; shape_mismatch otherwise. Other tensors in the record
 * are ignored. The arrays are copies.
 */
export function networkFromArrays(record: ArrayRecord, spec: ModelSpec, what = 'array record'): Network {
  const shapes = expectedKernelShapes(spec);
  const weighted = spec.layers.filter(isWeightedLayer);
  const layers: LayerWeights[] = shapes.map((shape, l) => {
    const kernel = record.get(modelTensorName(l, 'kernel'));
    if (kernel === undefined) throw new FedfuseError('shape_mismatch', `${what}: tensor "${modelTensorName(l, 'kernel')}" is missing`);
    const bias = record.get(modelTensorName(l, 'bias'));
    if (weighted[l]!.useBias && bias === undefined) throw new FedfuseError('shape_mismatch', `${what}: tensor "${modelTensorName(l, 'bias')}" is missing`);
    return { kernel: Float32Array.from(kernel.values), kernelShape: [...kernel.shape], bias: weighted[l]!.useBias ? Float32Array.from(bias!.values) : null };
  });
  const net: Network = { spec, layers };
  validateNetwork(net, what);
  return net;
}

/** Total float32 values over every tensor of every array record. */
export function recordValueCount(records: RecordDict): number {
  let n = 0;
  for (const record of records.arrays.values()) for (const t of record.values()) n += t.values.length;
  return n;
}
