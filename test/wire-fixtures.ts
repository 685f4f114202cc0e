import { isWeightedLayer, layerWidths, mlpSpec, smallCnnSpec, type ModelSpec } from '../common/model/spec.ts';
import { expectedKernelShapes, type Network } from '../common/model/network.ts';
import type { AttributionSummary } from '../common/attribution/summary.ts';
import { SeededRandom } from '../common/random/index.ts';
import type { WireMessage } from '../common/wire/index.ts';
import { EMPTY_RECORDS, networkArrays, recordDict, type RecordDict } from '../common/records/index.ts';

/**
 * Test data for the wire tests: networks whose float32 values are random bit
 * patterns (every finite float is equally likely to hit an encoding bug) with
 * the awkward values forced in: -0, the smallest and largest subnormals, the
 * smallest normal, +-max float.
 */

export const SPECIAL_FLOAT_BITS = [
  0x80000000, // -0
  0x00000001, // smallest subnormal
  0x807fffff, // largest negative subnormal
  0x00800000, // smallest normal
  0x7f7fffff, // max float
  0xff7fffff, // -max float
  0x3f800000, // 1
];

/** Random finite float32 values (as bit patterns), starting with the special ones. */
export function randomFiniteFloats(n: number, rng: SeededRandom): Float32Array {
  const bits = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (i < SPECIAL_FLOAT_BITS.length) {
      bits[i] = SPECIAL_FLOAT_BITS[i]!;
      continue;
    }
    let b: number;
    do b = (rng.int(0x10000) * 0x10000 + rng.int(0x10000)) >>> 0;
    while (((b >>> 23) & 0xff) === 0xff); // exponent all ones = Inf or NaN
    bits[i] = b;
  }
  return new Float32Array(bits.buffer);
}

export function randomNetwork(spec: ModelSpec, seed: number): Network {
  const rng = new SeededRandom(seed);
  const kernelShapes = expectedKernelShapes(spec);
  const weighted = spec.layers.filter(isWeightedLayer);
  return {
    spec,
    layers: kernelShapes.map((shape, l) => {
      const useBias = weighted[l]!.useBias;
      return {
        kernel: randomFiniteFloats(shape.reduce((a, b) => a * b, 1), rng),
        kernelShape: shape,
        bias: useBias ? randomFiniteFloats(shape[shape.length - 1]!, rng) : null,
      };
    }),
  };
}

/** 7 -> 5 -> 3 -> 4, odd widths so no tensor is a multiple of 4 floats by accident. */
export const SMALL_MLP_SPEC: ModelSpec = mlpSpec(7, [5, 3], 4);

/** 9x7x2 input, two conv+pool blocks, flatten, dense 3. */
export const SMALL_CNN_SPEC: ModelSpec = smallCnnSpec([9, 7, 2], [3, 5], 3);

/** A CNN without biases, with valid padding and stride 2 convolutions. */
export const NO_BIAS_CNN_SPEC: ModelSpec = {
  inputShape: [11, 10, 1],
  layers: [
    { kind: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', useBias: false },
    { kind: 'maxPool2d', poolSize: 2, strides: 1, padding: 'same' },
    { kind: 'flatten' },
    { kind: 'dense', units: 6, activation: 'relu', useBias: false },
    { kind: 'dense', units: 2, activation: 'linear', useBias: true },
  ],
  outputActivation: 'linear',
};

export function positiveScores(spec: ModelSpec, seed: number): AttributionSummary {
  const rng = new SeededRandom(seed);
  return {
    method: 'conductance',
    samplesUsed: 37,
    layers: layerWidths(spec).map((w) => Float32Array.from({ length: w }, () => rng.next() * 3 + 1e-8)),
  };
}

/**
 * Records of every kind for `model`: two model-shaped array records (as
 * SCAFFOLD sends), one with a free-form tensor, and a config record with a
 * value of each type.
 */
export function sampleRecords(model: Network, seed: number): RecordDict {
  const rng = new SeededRandom(seed);
  return recordDict(
    {
      'scaffold.c': networkArrays(randomNetwork(model.spec, seed + 1)),
      'scaffold.c_i': networkArrays(randomNetwork(model.spec, seed + 2)),
      extra: new Map([['state/v', { shape: [2, 3], values: randomFiniteFloats(6, rng) }]]),
    },
    { model: { width: 64, note: 'wider', prune: false, widths: [5, 3.5, -0] } },
  );
}

/** One valid message of every kind. */
export function oneOfEachMessage(): WireMessage[] {
  const mlp = randomNetwork(SMALL_MLP_SPEC, 1);
  const cnn = randomNetwork(SMALL_CNN_SPEC, 2);
  return [
    { type: 'clientHello', clientId: 'edge-07', softwareVersion: '0.1.0', numExamples: 1234, labelHistogram: [100, 0, 34, 1100], widthCapacity: 0.7 },
    { type: 'clientHello', clientId: 'edge-08', softwareVersion: '', numExamples: 0, labelHistogram: null, widthCapacity: null },
    { type: 'welcome', runId: 'run-2024', currentRound: 3, serverVersion: '0.1.0', runFinished: true, dataCarve: null },
    { type: 'welcome', runId: 'run-2025', currentRound: 0, serverVersion: '0.2.0', runFinished: false, dataCarve: { dataset: 'mnist', splitSeed: 3, calibrationSize: 400, testSize: 1000 } },
    {
      type: 'roundTask',
      runId: 'run-2024',
      round: 4,
      model: cnn,
      training: {
        epochs: 2,
        batchSize: 32,
        learningRate: 0.001,
        optimizer: 'adam',
        proximalMu: 0.01,
        attributionMethod: 'conductance',
        attributionSamples: 200,
      },
      deadlineUnixMs: 1_900_000_000_123,
      records: sampleRecords(cnn, 11),
    },
    {
      type: 'clientUpdate',
      runId: 'run-2024',
      round: 4,
      clientId: 'edge-07',
      model: mlp,
      attribution: positiveScores(SMALL_MLP_SPEC, 3),
      numExamples: 1234,
      metrics: { loss: 0.25, accuracy: 0.9375, trainSeconds: 1.5, attributionSeconds: 0.125 },
      records: recordDict({ 'scaffold.c_i': networkArrays(randomNetwork(SMALL_MLP_SPEC, 12)) }),
      localSteps: 40,
    },
    {
      type: 'clientUpdate',
      runId: 'run-2024',
      round: 5,
      clientId: 'edge-08',
      model: randomNetwork(NO_BIAS_CNN_SPEC, 4),
      attribution: null,
      numExamples: 1,
      metrics: { loss: 0, accuracy: 1, trainSeconds: 0, attributionSeconds: 0 },
      records: EMPTY_RECORDS,
      localSteps: 0,
    },
    { type: 'ack', runId: 'run-2024', round: 4, accepted: 'clientUpdate', message: 'thanks' },
    { type: 'error', code: 'wrong_round', message: 'round 3 is closed', round: 3 },
    { type: 'error', code: 'unauthenticated', message: 'bad token', round: null },
    { type: 'globalModel', runId: 'run-2024', round: 5, model: mlp, final: true, separateTrainingModel: true },
  ];
}
