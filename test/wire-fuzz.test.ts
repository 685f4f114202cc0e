import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isFedfuseError } from '../common/errors/index.ts';
import { decodeEnvelope, encodeEnvelope, PROTOCOL_VERSION, type WireMessage } from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { mutate, mutation } from './byte-mutations.ts';
import { oneOfEachMessage } from './wire-fixtures.ts';

/**
 * Bounded fuzzing of the decoder (a few seconds in total). The property: for
 * any input, decodeEnvelope returns a message or throws a FedfuseError with a
 * code a peer can be told -- never another exception, never 'internal' (which
 * would mean a check is missing). A message that does decode must survive
 * re-encoding unchanged.
 */
function decodesOrFailsTyped(bytes: Uint8Array): void {
  let msg: WireMessage;
  try {
    msg = decodeEnvelope(bytes);
  } catch (e) {
    if (!isFedfuseError(e)) throw new Error(`untyped exception: ${String(e)}`, { cause: e });
    if (e.code === 'internal') throw new Error(`internal error: ${e.message}`, { cause: e });
    return;
  }
  assert.deepStrictEqual(decodeEnvelope(encodeEnvelope(msg)), msg);
}

const VALID = oneOfEachMessage().map(encodeEnvelope);

/** Plausible-looking model protobufs: small sizes including 0, enum values including unspecified and unknown. */
const smallInt = fc.integer({ min: 0, max: 6 });
const enumValue = fc.integer({ min: 0, max: 3 });
const layerProto: fc.Arbitrary<fedfuse.v1.ILayerSpec> = fc.oneof(
  fc.record({ dense: fc.record({ units: smallInt, activation: enumValue, useBias: fc.boolean() }) }),
  fc.record({
    conv2d: fc.record({ filters: smallInt, kernelSize: smallInt, strides: smallInt, padding: enumValue, activation: enumValue, useBias: fc.boolean() }),
  }),
  fc.record({ maxPool2d: fc.record({ poolSize: smallInt, strides: smallInt, padding: enumValue }) }),
  fc.constant({ flatten: {} }),
  fc.constant({}),
);
const tensorProto: fc.Arbitrary<fedfuse.v1.ITensor> = fc.record({
  name: fc.oneof(fc.constantFrom('layer0/kernel', 'layer0/bias', 'layer1/kernel', 'layer1/bias', 'layer2/kernel'), fc.string({ maxLength: 12 })),
  shape: fc.array(smallInt, { maxLength: 4 }),
  dtype: enumValue,
  data: fc.uint8Array({ maxLength: 64 }),
});
const modelProto: fc.Arbitrary<fedfuse.v1.IModel> = fc.record({
  spec: fc.record({ inputShape: fc.array(smallInt, { maxLength: 4 }), outputActivation: enumValue, layers: fc.array(layerProto, { maxLength: 6 }) }),
  tensors: fc.array(tensorProto, { maxLength: 6 }),
});

describe('decoder fuzzing', () => {
  test('random byte arrays', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => decodesOrFailsTyped(bytes)), { numRuns: 10000 });
  });

  test('random byte arrays behind a valid version header', () => {
    const header = [0x08, PROTOCOL_VERSION];
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => decodesOrFailsTyped(Uint8Array.from([...header, ...bytes]))), { numRuns: 3000 });
  });

  test('random mutations of valid messages of every kind', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: VALID.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, mutations) =>
        decodesOrFailsTyped(mutate(VALID[which]!, mutations)),
      ),
      { numRuns: 5000 },
    );
  });

  test('random model specs and tensors in a global model', () => {
    fc.assert(
      fc.property(modelProto, (model) =>
        decodesOrFailsTyped(fedfuse.v1.Envelope.encode({ protocolVersion: PROTOCOL_VERSION, globalModel: { runId: 'r', round: 1, model } }).finish()),
      ),
      { numRuns: 3000 },
    );
  });
});
