import { FedfuseError } from '../errors/index.ts';
import { allFinite, parameterCount, type Network } from '../model/network.ts';
import {
  MODEL_TENSOR_NAME,
  recordValueCount,
  type ArrayRecord,
  type ConfigRecord,
  type ConfigValue,
  type RecordDict,
  type RecordTensor,
} from '../records/record-dict.ts';
import { singleOneofCase, wellFormedString } from './field-checks.ts';
import type { fedfuse } from './generated/fedfuse.js';
import { tensorFromProto, tensorToProto } from './network-codec.ts';

/**
 * RecordDict <-> its protobuf message, with every check a record needs at
 * the boundary (the same function validates a received message and a blob
 * read back from the store): names well formed and unique, tensors whose
 * bytes match their shapes, model-named tensors of the model's shapes,
 * finite values, and bounded sizes.
 */

/** Record, tensor and config-key names. */
export const RECORD_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;
export const MAX_RECORDS_PER_KIND = 32;
export const MAX_TENSORS_PER_RECORD = 1024;
export const MAX_CONFIG_ENTRIES = 256;
export const MAX_CONFIG_TEXT_LENGTH = 1024;
export const MAX_CONFIG_NUMBERS = 4096;
/**
 * Record tensors may hold at most this many values per parameter of the
 * message's model, plus RECORD_VALUES_SLACK: SCAFFOLD sends two model-shaped
 * tensors (c, c_i) and gets one back. Without a bound tied to the model, a
 * client with a tiny model could make the server store 64 MiB per update.
 */
export const RECORD_VALUES_PER_PARAMETER = 4;
export const RECORD_VALUES_SLACK = 65_536;

const CONFIG_CASES = ['number', 'text', 'flag', 'numbers'] as const;

export function recordDictToProto(records: RecordDict): fedfuse.v1.IRecordDict {
  return {
    arrays: [...records.arrays].map(([name, record]) => ({
      name: checkName(name, 'array record name', 'invalid_argument'),
      tensors: [...record].map(([tensorName, t]) => {
        const what = `array record "${name}" tensor "${tensorName}"`;
        checkName(tensorName, `${what} name`, 'invalid_argument');
        if (t.values.length !== t.shape.reduce((a, b) => a * b, 1)) {
          throw new FedfuseError('invalid_argument', `${what}: shape [${t.shape.join(', ')}] does not match its ${t.values.length} values`);
        }
        return tensorToProto(tensorName, t.shape, t.values);
      }),
    })),
    configs: [...records.configs].map(([name, record]) => ({
      name: checkName(name, 'config record name', 'invalid_argument'),
      entries: [...record].map(([key, value]) => configEntryToProto(name, key, value)),
    })),
  };
}

function configEntryToProto(record: string, key: string, value: ConfigValue): fedfuse.v1.IConfigEntry {
  checkName(key, `config record "${record}" key`, 'invalid_argument');
  if (typeof value === 'number') return { key, number: value };
  if (typeof value === 'string') return { key, text: value };
  if (typeof value === 'boolean') return { key, flag: value };
  return { key, numbers: { values: [...value] } };
}

/**
 * Decodes and validates records that came with `model` (the message's model,
 * or for stored strategy state the round's served model). Errors:
 * bad_message (names malformed or repeated, an entry without a value, text
 * not UTF-8), shape_mismatch (bytes vs shape, a model-named tensor vs the
 * model), non_finite, too_large (counts and the value budget).
 */
export function recordDictFromProto(proto: fedfuse.v1.IRecordDict | null | undefined, model: Network, what: string): RecordDict {
  const arraysProto = proto?.arrays ?? [];
  const configsProto = proto?.configs ?? [];
  if (arraysProto.length > MAX_RECORDS_PER_KIND || configsProto.length > MAX_RECORDS_PER_KIND) {
    throw new FedfuseError('too_large', `${what}: at most ${MAX_RECORDS_PER_KIND} array and ${MAX_RECORDS_PER_KIND} config records, got ${arraysProto.length} and ${configsProto.length}`);
  }
  const modelShapes = modelTensorShapes(model);
  const arrays = new Map<string, ArrayRecord>();
  for (const r of arraysProto) {
    const name = uniqueName(r.name, arrays, `${what} array record`);
    arrays.set(name, arrayRecordFromProto(r, modelShapes, `${what} array record "${name}"`));
  }
  const configs = new Map<string, ConfigRecord>();
  for (const r of configsProto) {
    const name = uniqueName(r.name, configs, `${what} config record`);
    configs.set(name, configRecordFromProto(r, `${what} config record "${name}"`));
  }
  const records: RecordDict = { arrays, configs };
  const budget = RECORD_VALUES_PER_PARAMETER * parameterCount(model) + RECORD_VALUES_SLACK;
  const values = recordValueCount(records);
  if (values > budget) throw new FedfuseError('too_large', `${what}: ${values} tensor values, the limit for this model is ${budget}`);
  return records;
}

function arrayRecordFromProto(proto: fedfuse.v1.IArrayRecord, modelShapes: ReadonlyMap<string, readonly number[]>, what: string): ArrayRecord {
  const tensors = proto.tensors ?? [];
  if (tensors.length > MAX_TENSORS_PER_RECORD) throw new FedfuseError('too_large', `${what}: at most ${MAX_TENSORS_PER_RECORD} tensors, got ${tensors.length}`);
  const record = new Map<string, RecordTensor>();
  for (const t of tensors) {
    const name = uniqueName(t.name, record, `${what} tensor`);
    const decoded = tensorFromProto(t, `${what} tensor "${name}"`);
    if (MODEL_TENSOR_NAME.test(name)) {
      const expected = modelShapes.get(name);
      if (expected === undefined) throw new FedfuseError('shape_mismatch', `${what}: tensor "${name}" names a model tensor the model does not have`);
      if (decoded.shape.length !== expected.length || decoded.shape.some((d, i) => d !== expected[i])) {
        throw new FedfuseError('shape_mismatch', `${what}: tensor "${name}" has shape [${decoded.shape.join(', ')}], the model's is [${expected.join(', ')}]`);
      }
    }
    if (!allFinite(decoded.values)) throw new FedfuseError('non_finite', `${what}: tensor "${name}" has NaN or infinite values`);
    record.set(name, decoded);
  }
  return record;
}

function configRecordFromProto(proto: fedfuse.v1.IConfigRecord, what: string): ConfigRecord {
  const entries = proto.entries ?? [];
  if (entries.length > MAX_CONFIG_ENTRIES) throw new FedfuseError('too_large', `${what}: at most ${MAX_CONFIG_ENTRIES} entries, got ${entries.length}`);
  const record = new Map<string, ConfigValue>();
  for (const e of entries) {
    const key = uniqueName(e.key, record, `${what} key`);
    const at = `${what} "${key}"`;
    const entry = e;
    switch (singleOneofCase(ownFields(entry, CONFIG_CASES), CONFIG_CASES, `${at} value`)) {
      case 'number':
        record.set(key, finite(entry.number!, at));
        break;
      case 'text': {
        const text = wellFormedString(entry.text, at);
        if (text.length > MAX_CONFIG_TEXT_LENGTH) throw new FedfuseError('too_large', `${at}: text of at most ${MAX_CONFIG_TEXT_LENGTH} characters, got ${text.length}`);
        record.set(key, text);
        break;
      }
      case 'flag':
        record.set(key, entry.flag === true);
        break;
      case 'numbers': {
        const values = entry.numbers!.values ?? [];
        if (values.length > MAX_CONFIG_NUMBERS) throw new FedfuseError('too_large', `${at}: at most ${MAX_CONFIG_NUMBERS} numbers, got ${values.length}`);
        record.set(key, values.map((v) => finite(v, at)));
        break;
      }
    }
  }
  return record;
}

/**
 * The oneof members actually set on a decoded entry. Scalar members have
 * defaults on the prototype of a reflection-decoded message (0, "", false),
 * so presence is an own property, which both decoders set for a field read
 * from the wire.
 */
function ownFields<K extends string>(entry: object, cases: readonly K[]): Partial<Record<K, unknown>> {
  const present: Partial<Record<K, unknown>> = {};
  for (const c of cases) if (Object.hasOwn(entry, c)) present[c] = (entry as Record<K, unknown>)[c];
  return present;
}

/** The shape of each of the model's tensors, by its name in a record. */
function modelTensorShapes(model: Network): Map<string, readonly number[]> {
  const shapes = new Map<string, readonly number[]>();
  model.layers.forEach((lw, l) => {
    shapes.set(`layer${l}/kernel`, lw.kernelShape);
    if (lw.bias !== null) shapes.set(`layer${l}/bias`, [lw.bias.length]);
  });
  return shapes;
}

function uniqueName(raw: string | null | undefined, seen: ReadonlyMap<string, unknown>, what: string): string {
  const name = checkName(wellFormedString(raw, what), `${what} name`, 'bad_message');
  if (seen.has(name)) throw new FedfuseError('bad_message', `${what} "${name}" appears twice`);
  return name;
}

function checkName(name: string, what: string, code: 'bad_message' | 'invalid_argument'): string {
  if (!RECORD_NAME.test(name)) {
    throw new FedfuseError(code, `${what} ${JSON.stringify(name.slice(0, 40))} must match ${RECORD_NAME.source}`);
  }
  return name;
}

function finite(v: number, what: string): number {
  if (!Number.isFinite(v)) throw new FedfuseError('non_finite', `${what} is ${v}`);
  return v;
}

