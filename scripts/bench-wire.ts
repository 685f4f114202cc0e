/**
 * Wire protocol benchmark: protobufjs static code (common/wire/generated, what
 * fedfuse uses) vs reflection (the .proto loaded at runtime) on ~1 MB and
 * ~1.3 MB models, plus the full validated encodeEnvelope/decodeEnvelope.
 *
 *   node --import tsx scripts/bench-wire.ts [--iterations 200]
 *
 * Prints a table and writes results/bench-wire.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { layerWidths, mlpSpec, type ModelSpec } from '../common/model/spec.ts';
import { expectedKernelShapes, parameterCount, type Network } from '../common/model/network.ts';
import { SeededRandom } from '../common/random/index.ts';
import { decodeEnvelope, encodeEnvelope, envelopeFromProto, envelopeToProto, type MessageOf } from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { EMPTY_RECORDS } from '../common/records/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROTO_FILE = path.join(ROOT, 'proto', 'fedfuse.proto');
const RESULTS_FILE = path.join(ROOT, 'results', 'bench-wire.json');

const iterationsArg = process.argv.indexOf('--iterations');
const ITERATIONS = iterationsArg >= 0 ? Number(process.argv[iterationsArg + 1]) : 200;
const WARMUP = 30;

function randomNetwork(spec: ModelSpec, seed: number): Network {
  const rng = new SeededRandom(seed);
  const fill = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal() * 0.05);
  return {
    spec,
    layers: expectedKernelShapes(spec).map((shape) => ({
      kernel: fill(shape.reduce((a, b) => a * b, 1)),
      kernelShape: shape,
      bias: fill(shape[shape.length - 1]!),
    })),
  };
}

function clientUpdate(spec: ModelSpec, seed: number): MessageOf<'clientUpdate'> {
  const rng = new SeededRandom(seed + 1);
  return {
    type: 'clientUpdate',
    runId: 'bench',
    round: 1,
    clientId: 'client-0',
    model: randomNetwork(spec, seed),
    attribution: { method: 'conductance', samplesUsed: 200, layers: layerWidths(spec).map((w) => Float32Array.from({ length: w }, () => rng.next() + 1e-8)) },
    numExamples: 1000,
    metrics: { loss: 0.3, accuracy: 0.9, trainSeconds: 2, attributionSeconds: 0.4 },
    records: EMPTY_RECORDS,
    localSteps: 0,
  };
}

interface Timing {
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly minMs: number;
}

function time(fn: () => unknown): Timing {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { medianMs: at(0.5), p90Ms: at(0.9), minMs: samples[0]! };
}

const t0 = performance.now();
const reflectionRoot = protobuf.loadSync(PROTO_FILE);
const ReflectionEnvelope = reflectionRoot.lookupType('fedfuse.v1.Envelope');
const reflectionLoadMs = performance.now() - t0;

const cases = [
  { name: 'MLP 784-320-10', spec: mlpSpec(784, [320], 10) },
  { name: 'MLP 784-400-10', spec: mlpSpec(784, [400], 10) },
];

const rows = cases.map(({ name, spec }) => {
  const msg = clientUpdate(spec, 7);
  const proto = envelopeToProto(msg);
  const bytes = fedfuse.v1.Envelope.encode(proto).finish();
  // The two runtimes must produce the same bytes, or the comparison is meaningless.
  const reflectionBytes = ReflectionEnvelope.encode(proto).finish();
  if (Buffer.compare(Buffer.from(bytes), Buffer.from(reflectionBytes)) !== 0) throw new Error(`${name}: static and reflection encodings differ`);
  // The reflection decoder yields the same plain shape as the generated one; only its static type is generic.
  const reflectionDecoded = ReflectionEnvelope.decode(bytes) as fedfuse.v1.IEnvelope;
  envelopeFromProto(reflectionDecoded); // validates, so the reflection output is usable as is

  return {
    model: name,
    parameters: parameterCount(msg.model),
    messageBytes: bytes.byteLength,
    staticEncode: time(() => fedfuse.v1.Envelope.encode(proto).finish()),
    reflectionEncode: time(() => ReflectionEnvelope.encode(proto).finish()),
    staticDecode: time(() => fedfuse.v1.Envelope.decode(bytes)),
    reflectionDecode: time(() => ReflectionEnvelope.decode(bytes)),
    encodeEnvelope: time(() => encodeEnvelope(msg)),
    decodeEnvelope: time(() => decodeEnvelope(bytes)),
  };
});

const fmt = (t: Timing): string => `${t.medianMs.toFixed(3)} (p90 ${t.p90Ms.toFixed(3)})`;
console.log(`protobufjs ${protobuf.util.isNode ? 'on Node ' + process.version : ''}, ${ITERATIONS} iterations after ${WARMUP} warm-up, times in ms: median (p90)`);
console.log(`reflection: loading proto/fedfuse.proto took ${reflectionLoadMs.toFixed(1)} ms (once per process)\n`);
const table = rows.map((r) => ({
  model: r.model,
  params: r.parameters,
  'message MB': (r.messageBytes / 1e6).toFixed(3),
  'static encode': fmt(r.staticEncode),
  'reflection encode': fmt(r.reflectionEncode),
  'static decode': fmt(r.staticDecode),
  'reflection decode': fmt(r.reflectionDecode),
  'encodeEnvelope (validated)': fmt(r.encodeEnvelope),
  'decodeEnvelope (validated)': fmt(r.decodeEnvelope),
}));
console.table(table);

fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
fs.writeFileSync(
  RESULTS_FILE,
  JSON.stringify(
    {
      benchmark: 'wire',
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      iterations: ITERATIONS,
      warmup: WARMUP,
      reflectionLoadMs,
      rows,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nwrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
