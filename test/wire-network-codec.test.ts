import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import type { Network } from '../common/model/network.ts';
import type { ModelSpec } from '../common/model/spec.ts';
import {
  decodeEnvelope,
  encodeEnvelope,
  envelopeToProto,
  networkFromProto,
  networkToProto,
  specFromProto,
  specToProto,
  type MessageOf,
} from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { NO_BIAS_CNN_SPEC, positiveScores, randomNetwork, SMALL_CNN_SPEC, SMALL_MLP_SPEC } from './wire-fixtures.ts';
import { EMPTY_RECORDS } from '../common/records/index.ts';

function bits(values: Float32Array): number[] {
  return [...new Uint32Array(values.buffer, values.byteOffset, values.length)];
}

function assertBitExact(actual: Network, expected: Network): void {
  assert.deepEqual(actual.spec, expected.spec);
  assert.equal(actual.layers.length, expected.layers.length);
  actual.layers.forEach((lw, l) => {
    const want = expected.layers[l]!;
    assert.deepEqual([...lw.kernelShape], [...want.kernelShape], `layer ${l} kernel shape`);
    assert.deepEqual(bits(lw.kernel), bits(want.kernel), `layer ${l} kernel bits`);
    assert.equal(lw.bias === null, want.bias === null, `layer ${l} bias presence`);
    if (lw.bias !== null && want.bias !== null) assert.deepEqual(bits(lw.bias), bits(want.bias), `layer ${l} bias bits`);
  });
}

/** A global-model envelope, edited at the protobuf level, encoded to real bytes, then decoded. */
function decodeEdited(net: Network, edit: (model: fedfuse.v1.IModel) => void): void {
  const proto = envelopeToProto({ type: 'globalModel', runId: 'r', round: 1, model: net, final: false, separateTrainingModel: false });
  edit(proto.globalModel!.model!);
  decodeEnvelope(fedfuse.v1.Envelope.encode(proto).finish());
}

/** A number no enum of the protocol defines (typed `number` so TypeScript lets it into an enum field). */
const UNKNOWN_ENUM_VALUE: number = 7;

function rejects(code: ErrorCode, fn: () => unknown): void {
  assert.throws(fn, (e) => {
    assert.ok(isFedfuseError(e), `expected a FedfuseError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

function tensorNamed(model: fedfuse.v1.IModel, name: string): fedfuse.v1.ITensor {
  const t = model.tensors!.find((x) => x.name === name);
  assert.ok(t, name);
  return t;
}

const SPECS: [string, ModelSpec][] = [
  ['MLP 7-5-3-4', SMALL_MLP_SPEC],
  ['CNN 9x7x2, conv 3 and 5, same padding', SMALL_CNN_SPEC],
  ['CNN without biases, valid padding, stride 2', NO_BIAS_CNN_SPEC],
];

describe('network round trip', () => {
  for (const [name, spec] of SPECS) {
    test(`${name}: bit-exact through envelope bytes (random bits, -0, subnormals, +-max)`, () => {
      const net = randomNetwork(spec, 42);
      const decoded = decodeEnvelope(encodeEnvelope({ type: 'globalModel', runId: 'r', round: 9, model: net, final: false, separateTrainingModel: false }));
      assert.equal(decoded.type, 'globalModel');
      const model = (decoded as MessageOf<'globalModel'>).model;
      assertBitExact(model, net);
      // The special values really were there: -0 survives (Object.is tells it from +0).
      assert.ok(Object.is(model.layers[0]!.kernel[0], -0));
    });
  }

  test('decoding from a Buffer at an odd offset of a larger frame', () => {
    const net = randomNetwork(SMALL_CNN_SPEC, 7);
    const bytes = encodeEnvelope({ type: 'globalModel', runId: 'r', round: 1, model: net, final: false, separateTrainingModel: false });
    const frame = Buffer.alloc(bytes.length + 8);
    frame.set(bytes, 5);
    const decoded = decodeEnvelope(frame.subarray(5, 5 + bytes.length)) as MessageOf<'globalModel'>;
    assertBitExact(decoded.model, net);
    frame.fill(0xff); // the decoded weights must not be views of the frame
    assertBitExact(decoded.model, net);
  });

  test('networkToProto / networkFromProto and specToProto / specFromProto are inverse', () => {
    const net = randomNetwork(NO_BIAS_CNN_SPEC, 3);
    assertBitExact(networkFromProto(networkToProto(net)), net);
    assert.deepEqual(specFromProto(specToProto(SMALL_CNN_SPEC)), SMALL_CNN_SPEC);
  });

  test('tensor order on the wire does not matter', () => {
    const net = randomNetwork(SMALL_MLP_SPEC, 5);
    const proto = networkToProto(net);
    proto.tensors!.reverse();
    assertBitExact(networkFromProto(fedfuse.v1.Model.decode(fedfuse.v1.Model.encode(proto).finish())), net);
  });
});

describe('network validation on decode', () => {
  const mlp = randomNetwork(SMALL_MLP_SPEC, 1);
  const cnn = randomNetwork(SMALL_CNN_SPEC, 2);

  test('kernel bytes one float short of the shape -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeEdited(mlp, (m) => {
      const t = tensorNamed(m, 'layer1/kernel');
      t.data = t.data!.subarray(0, t.data!.length - 4);
    }));
  });

  test('kernel bytes not a whole number of floats -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeEdited(mlp, (m) => {
      const t = tensorNamed(m, 'layer0/kernel');
      t.data = t.data!.subarray(0, t.data!.length - 1);
    }));
  });

  test('kernel shape transposed (same number of bytes) -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeEdited(mlp, (m) => tensorNamed(m, 'layer0/kernel').shape!.reverse()));
  });

  test('conv kernel with channels and filters swapped -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeEdited(cnn, (m) => {
      const shape = tensorNamed(m, 'layer1/kernel').shape!;
      [shape[2], shape[3]] = [shape[3]!, shape[2]!];
    }));
  });

  test('a shape whose product overflows cannot pass for the data length -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeEdited(mlp, (m) => {
      tensorNamed(m, 'layer2/bias').shape = [0xffffffff, 0xffffffff, 0xffffffff, 0x40000000];
    }));
  });

  test('bias missing although the spec uses one -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeEdited(mlp, (m) => {
      m.tensors = m.tensors!.filter((t) => t.name !== 'layer1/bias');
    }));
  });

  test('bias present although the spec has none -> shape_mismatch', () => {
    const net = randomNetwork(NO_BIAS_CNN_SPEC, 1);
    rejects('shape_mismatch', () => decodeEdited(net, (m) => {
      m.tensors!.push({ name: 'layer0/bias', shape: [4], dtype: fedfuse.v1.DType.DTYPE_FLOAT32, data: new Uint8Array(16) });
    }));
  });

  test('two-dimensional bias -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeEdited(mlp, (m) => {
      tensorNamed(m, 'layer0/bias').shape = [5, 1];
    }));
  });

  test('kernel missing -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeEdited(mlp, (m) => {
      m.tensors = m.tensors!.filter((t) => t.name !== 'layer2/kernel');
    }));
  });

  for (const name of ['layer3/kernel', 'layer01/kernel', 'weights', 'layer0/gamma', '']) {
    test(`unexpected tensor "${name}" -> shape_mismatch`, () => {
      rejects('shape_mismatch', () => decodeEdited(mlp, (m) => {
        m.tensors!.push({ name, shape: [1], dtype: fedfuse.v1.DType.DTYPE_FLOAT32, data: new Uint8Array(4) });
      }));
    });
  }

  test('the same tensor twice -> bad_message', () => {
    rejects('bad_message', () => decodeEdited(mlp, (m) => {
      m.tensors!.push({ ...tensorNamed(m, 'layer0/bias') });
    }));
  });

  test('dtype unspecified or unknown -> bad_message', () => {
    for (const dtype of [0, UNKNOWN_ENUM_VALUE]) {
      rejects('bad_message', () => decodeEdited(mlp, (m) => {
        tensorNamed(m, 'layer0/kernel').dtype = dtype;
      }));
    }
  });

  for (const [what, bitsValue] of [['NaN', 0x7fc00000], ['+Inf', 0x7f800000], ['-Inf', 0xff800000], ['signalling NaN', 0x7f800001]] as const) {
    test(`${what} in a kernel or a bias -> non_finite`, () => {
      for (const tensor of ['layer1/kernel', 'layer2/bias']) {
        rejects('non_finite', () => decodeEdited(mlp, (m) => {
          const t = tensorNamed(m, tensor);
          const data = new Uint8Array(t.data!); // copy: the original views the fixture's weights
          new DataView(data.buffer).setUint32(data.length - 4, bitsValue, true);
          t.data = data;
        }));
      }
    });
  }

  test('model without a spec -> bad_message', () => {
    rejects('bad_message', () => decodeEdited(mlp, (m) => {
      m.spec = null;
    }));
  });
});

describe('spec validation on decode', () => {
  const mlp = randomNetwork(SMALL_MLP_SPEC, 1);
  const cnn = randomNetwork(SMALL_CNN_SPEC, 2);
  const layer = (m: fedfuse.v1.IModel, i: number): fedfuse.v1.ILayerSpec => m.spec!.layers![i]!;

  test('zero units / filters / kernel size / strides -> invalid_argument', () => {
    rejects('invalid_argument', () => decodeEdited(mlp, (m) => { layer(m, 0).dense!.units = 0; }));
    rejects('invalid_argument', () => decodeEdited(cnn, (m) => { layer(m, 0).conv2d!.filters = 0; }));
    rejects('invalid_argument', () => decodeEdited(cnn, (m) => { layer(m, 0).conv2d!.kernelSize = 0; }));
    rejects('invalid_argument', () => decodeEdited(cnn, (m) => { layer(m, 1).maxPool2d!.strides = 0; }));
  });

  test('input shape missing -> bad_message; a zero dimension -> invalid_argument', () => {
    rejects('bad_message', () => decodeEdited(mlp, (m) => { m.spec!.inputShape = []; }));
    rejects('invalid_argument', () => decodeEdited(cnn, (m) => { m.spec!.inputShape = [9, 0, 2]; }));
  });

  test('unspecified or unknown activation, padding, output activation -> bad_message', () => {
    rejects('bad_message', () => decodeEdited(mlp, (m) => { layer(m, 0).dense!.activation = 0; }));
    rejects('bad_message', () => decodeEdited(mlp, (m) => { layer(m, 0).dense!.activation = UNKNOWN_ENUM_VALUE; }));
    rejects('bad_message', () => decodeEdited(cnn, (m) => { layer(m, 1).maxPool2d!.padding = 0; }));
    rejects('bad_message', () => decodeEdited(mlp, (m) => { m.spec!.outputActivation = 0; }));
  });

  test('a layer with no kind, or two kinds -> bad_message', () => {
    rejects('bad_message', () => decodeEdited(mlp, (m) => { m.spec!.layers![0] = {}; }));
    rejects('bad_message', () => decodeEdited(cnn, (m) => { layer(m, 4).dense = { units: 3, activation: 1, useBias: true }; }));
  });

  test('layers that do not compose -> shape_mismatch', () => {
    // dense straight after a conv (no flatten)
    rejects('shape_mismatch', () => decodeEdited(cnn, (m) => { m.spec!.layers!.splice(4, 1); }));
    // conv on a flat input
    rejects('shape_mismatch', () => decodeEdited(cnn, (m) => { m.spec!.inputShape = [126]; }));
    // a 5x5 valid conv on a 3x3 image leaves nothing
    const tiny: ModelSpec = {
      inputShape: [3, 3, 1],
      layers: [{ kind: 'conv2d', filters: 2, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu', useBias: true }, { kind: 'flatten' }, { kind: 'dense', units: 2, activation: 'linear', useBias: true }],
      outputActivation: 'softmax',
    };
    rejects('shape_mismatch', () => decodeEdited(randomNetwork(tiny, 1), (m) => { layer(m, 0).conv2d!.kernelSize = 5; }));
  });

  test('no weighted layer at all -> invalid_argument', () => {
    rejects('invalid_argument', () => decodeEdited(mlp, (m) => {
      m.spec!.layers = [{ flatten: {} }];
      m.tensors = [];
    }));
  });
});

describe('attribution scores in a client update', () => {
  const model = randomNetwork(SMALL_MLP_SPEC, 1);
  const update = (): MessageOf<'clientUpdate'> => ({
    type: 'clientUpdate',
    runId: 'r',
    round: 1,
    clientId: 'c',
    model,
    attribution: positiveScores(SMALL_MLP_SPEC, 2),
    numExamples: 10,
    metrics: { loss: 1, accuracy: 0.5, trainSeconds: 1, attributionSeconds: 1 },
    records: EMPTY_RECORDS,
    localSteps: 0,
  });
  const decodeWith = (edit: (a: fedfuse.v1.IAttributionSummary) => void): void => {
    const proto = envelopeToProto(update());
    edit(proto.clientUpdate!.attribution!);
    decodeEnvelope(fedfuse.v1.Envelope.encode(proto).finish());
  };
  const scoreBytes = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

  test('round trip bit-exact', () => {
    const sent = update();
    const got = decodeEnvelope(encodeEnvelope(sent)) as MessageOf<'clientUpdate'>;
    assert.ok(got.attribution);
    assert.equal(got.attribution.method, 'conductance');
    assert.equal(got.attribution.samplesUsed, 37);
    assert.deepEqual(got.attribution.layers.map(bits), sent.attribution!.layers.map(bits));
  });

  test('a layer with the wrong number of scores -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeWith((a) => { a.layers![1] = { scores: scoreBytes([1, 1]) }; }));
  });

  test('one layer fewer than the model -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeWith((a) => { a.layers!.pop(); }));
  });

  test('score bytes not a multiple of 4 -> shape_mismatch', () => {
    rejects('shape_mismatch', () => decodeWith((a) => { a.layers![0] = { scores: new Uint8Array(19) }; }));
  });

  test('NaN score -> non_finite; negative score or all zeros -> invalid_argument', () => {
    rejects('non_finite', () => decodeWith((a) => { a.layers![2] = { scores: scoreBytes([1, NaN, 1, 1]) }; }));
    rejects('invalid_argument', () => decodeWith((a) => { a.layers![2] = { scores: scoreBytes([1, -1, 1, 1]) }; }));
    rejects('invalid_argument', () => decodeWith((a) => { a.layers![2] = { scores: scoreBytes([0, 0, 0, 0]) }; }));
  });

  test('unknown or empty method -> invalid_argument', () => {
    rejects('invalid_argument', () => decodeWith((a) => { a.method = 'shapley'; }));
    rejects('invalid_argument', () => decodeWith((a) => { a.method = ''; }));
  });
});
