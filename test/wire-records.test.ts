import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import { parameterCount } from '../common/model/network.ts';
import { EMPTY_RECORDS, networkArrays, networkFromArrays, recordDict, type RecordDict } from '../common/records/index.ts';
import {
  decodeEnvelope,
  encodeEnvelope,
  envelopeToProto,
  MAX_CONFIG_TEXT_LENGTH,
  RECORD_VALUES_PER_PARAMETER,
  RECORD_VALUES_SLACK,
  type ClientUpdate,
  type RoundTask,
} from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { float32Bytes } from './hostile-fixtures.ts';
import { randomNetwork, sampleRecords, SMALL_MLP_SPEC } from './wire-fixtures.ts';

/**
 * Round records on the wire (RoundTask.records, ClientUpdate.records): every
 * kind round trips exactly, and everything a peer could get wrong is refused
 * at the boundary with its typed code, checked against the message's model.
 */
const model = randomNetwork(SMALL_MLP_SPEC, 1);

function task(records: RecordDict): RoundTask {
  return {
    type: 'roundTask',
    runId: 'r',
    round: 3,
    model,
    training: { epochs: 1, batchSize: 8, learningRate: 0.01, optimizer: 'sgd', proximalMu: 0, attributionMethod: 'uniform', attributionSamples: 0 },
    deadlineUnixMs: 1_900_000_000_000,
    records,
  };
}

function update(records: RecordDict): ClientUpdate {
  return {
    type: 'clientUpdate',
    runId: 'r',
    round: 3,
    clientId: 'c',
    model,
    attribution: null,
    numExamples: 10,
    metrics: { loss: 1, accuracy: 0.5, trainSeconds: 1, attributionSeconds: 0 },
    records,
    localSteps: 7,
  };
}

/** The update's bytes with its records replaced by `records` (encoded without the encoder's checks, as a hostile peer would). */
function craftedUpdate(records: fedfuse.v1.IRecordDict): Uint8Array {
  const envelope = envelopeToProto(update(EMPTY_RECORDS));
  envelope.clientUpdate!.records = records;
  return fedfuse.v1.Envelope.encode(envelope).finish();
}

function rejects(code: ErrorCode, fn: () => unknown, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isFedfuseError(e), `expected a FedfuseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message !== undefined) assert.match(e.message, message);
    return true;
  });
}

const tensor = (name: string, shape: number[], values: Float32Array | number[]): fedfuse.v1.ITensor => ({
  name,
  shape,
  dtype: fedfuse.v1.DType.DTYPE_FLOAT32,
  data: float32Bytes(values),
});

describe('round records on the wire', () => {
  test('every kind of record round trips exactly, in a task and in an update', () => {
    const records = sampleRecords(model, 5);
    assert.deepStrictEqual(decodeEnvelope(encodeEnvelope(task(records))), task(records));
    assert.deepStrictEqual(decodeEnvelope(encodeEnvelope(update(records))), update(records));
    // No records at all is the common case and decodes as EMPTY_RECORDS' shape.
    assert.deepStrictEqual(decodeEnvelope(encodeEnvelope(update(EMPTY_RECORDS))), update(EMPTY_RECORDS));
  });

  test('a model-shaped record comes back as the same network', () => {
    const c = randomNetwork(SMALL_MLP_SPEC, 9);
    const decoded = decodeEnvelope(encodeEnvelope(task(recordDict({ 'scaffold.c': networkArrays(c) })))) as RoundTask;
    assert.deepStrictEqual(networkFromArrays(decoded.records.arrays.get('scaffold.c')!, SMALL_MLP_SPEC), c);
  });

  test('a version-2 envelope without records (a field proto3 omits when empty) decodes with none', () => {
    const envelope = envelopeToProto(update(EMPTY_RECORDS));
    delete envelope.clientUpdate!.records;
    const decoded = decodeEnvelope(fedfuse.v1.Envelope.encode(envelope).finish()) as ClientUpdate;
    assert.deepStrictEqual(decoded.records, EMPTY_RECORDS);
    assert.equal(decoded.localSteps, 7);
  });

  const budget = RECORD_VALUES_PER_PARAMETER * parameterCount(model) + RECORD_VALUES_SLACK;
  const hostile: Array<[string, fedfuse.v1.IRecordDict, ErrorCode, RegExp]> = [
    ['a NaN in a tensor', { arrays: [{ name: 'a', tensors: [tensor('t', [2], [1, Number.NaN])] }] }, 'non_finite', /tensor "t" has NaN/],
    ['an infinity in a model-shaped tensor', { arrays: [{ name: 'a', tensors: [tensor('layer2/bias', [4], [0, 0, Number.POSITIVE_INFINITY, 0])] }] }, 'non_finite', /layer2\/bias/],
    ['a model-named tensor of another shape', { arrays: [{ name: 'a', tensors: [tensor('layer0/kernel', [5, 7], new Float32Array(35))] }] }, 'shape_mismatch', /the model's is \[7, 5\]/],
    ['a model-named tensor of a layer the model lacks', { arrays: [{ name: 'a', tensors: [tensor('layer3/kernel', [1], [0])] }] }, 'shape_mismatch', /does not have/],
    ['bytes that do not match the shape', { arrays: [{ name: 'a', tensors: [tensor('t', [3], [1, 2])] }] }, 'shape_mismatch', /needs 12 bytes/],
    ['two records with one name', { arrays: [{ name: 'a' }, { name: 'a' }] }, 'bad_message', /appears twice/],
    ['two tensors with one name', { arrays: [{ name: 'a', tensors: [tensor('t', [1], [1]), tensor('t', [1], [2])] }] }, 'bad_message', /appears twice/],
    ['an empty record name', { arrays: [{ name: '' }] }, 'bad_message', /must match/],
    ['a name with a slash first', { configs: [{ name: '/etc' }] }, 'bad_message', /must match/],
    ['a name of 129 characters', { arrays: [{ name: 'a'.repeat(129) }] }, 'bad_message', /must match/],
    ['33 array records', { arrays: Array.from({ length: 33 }, (_, i) => ({ name: `r${i}` })) }, 'too_large', /at most 32/],
    ['more tensor values than the budget', { arrays: [{ name: 'a', tensors: [tensor('t', [budget + 1], new Float32Array(budget + 1))] }] }, 'too_large', new RegExp(`limit for this model is ${budget}`)],
    ['a config entry with two values', { configs: [{ name: 'c', entries: [{ key: 'k', number: 1, text: 'x' }] }] }, 'bad_message', /several cases/],
    ['a config entry without a value', { configs: [{ name: 'c', entries: [{ key: 'k' }] }] }, 'bad_message', /is empty/],
    ['a NaN config number', { configs: [{ name: 'c', entries: [{ key: 'k', number: Number.NaN }] }] }, 'non_finite', /"k"/],
    ['an infinite number in a list', { configs: [{ name: 'c', entries: [{ key: 'k', numbers: { values: [1, Number.NEGATIVE_INFINITY] } }] }] }, 'non_finite', /"k"/],
    ['a config text over the limit', { configs: [{ name: 'c', entries: [{ key: 'k', text: 'x'.repeat(MAX_CONFIG_TEXT_LENGTH + 1) }] }] }, 'too_large', /text of at most/],
    ['two config keys with one name', { configs: [{ name: 'c', entries: [{ key: 'k', flag: true }, { key: 'k', flag: false }] }] }, 'bad_message', /appears twice/],
  ];
  for (const [what, records, code, message] of hostile) {
    test(`${what} -> ${code}`, () => rejects(code, () => decodeEnvelope(craftedUpdate(records)), message));
  }

  test('the value budget scales with the model: at the limit is accepted', () => {
    const bytes = craftedUpdate({ arrays: [{ name: 'a', tensors: [tensor('t', [budget], new Float32Array(budget))] }] });
    const decoded = decodeEnvelope(bytes) as ClientUpdate;
    assert.equal(decoded.records.arrays.get('a')!.get('t')!.values.length, budget);
  });

  test('the encoder refuses what it cannot send: bad names, values that do not fit the shape', () => {
    rejects('invalid_argument', () => encodeEnvelope(update(recordDict({ 'bad name': new Map() }))));
    rejects('invalid_argument', () => encodeEnvelope(update(recordDict({ a: new Map([['t', { shape: [3], values: new Float32Array(2) }]]) }))));
    rejects('invalid_argument', () => encodeEnvelope(update(recordDict({}, { c: { 'bad key!': 1 } }))));
  });
});
