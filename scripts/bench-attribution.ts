/**
 * Times every attribution method on an MLP 784-256-10 over 1,000 samples
 * (random He-normal weights, inputs uniform in [0, 1)), as a client computing its
 * summary would. Prints a table and writes results/bench-attribution.json.
 *
 *   node --import tsx scripts/bench-attribution.ts [--samples N] [--repeats R] [--hidden 256[,128...]]
 *
 * The backend is chosen like everywhere else (FEDFUSE_BACKEND, else auto).
 * Each method runs once untimed (warm-up: kernel set-up, wasm compilation),
 * then R times; the table shows the median and the fastest run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { computeAttribution, type AttributionOptions, type LabelledSamples } from '../common/attribution/index.ts';
import { expectedKernelShapes, type Network } from '../common/model/network.ts';
import { mlpSpec, type ModelSpec } from '../common/model/spec.ts';
import { SeededRandom } from '../common/random/index.ts';

interface BenchCase {
  readonly label: string;
  readonly options: AttributionOptions;
}

const CASES: readonly BenchCase[] = [
  { label: 'uniform', options: { method: 'uniform' } },
  { label: 'activation', options: { method: 'activation' } },
  { label: 'grad-x-act', options: { method: 'grad-x-act' } },
  { label: 'conductance (10 steps)', options: { method: 'conductance', steps: 10 } },
  { label: 'ablation', options: { method: 'ablation' } },
  // The general path: the head re-run with each neuron zeroed, even where the closed form applies.
  { label: 'ablation (masking forced)', options: { method: 'ablation', ablationStrategy: 'masking' } },
];

function randomNetwork(spec: ModelSpec, rng: SeededRandom): Network {
  return {
    spec,
    layers: expectedKernelShapes(spec).map((shape) => {
      const width = shape[shape.length - 1]!;
      const size = shape.reduce((a, b) => a * b, 1);
      const std = Math.sqrt(2 / (size / width));
      return { kernel: Float32Array.from({ length: size }, () => rng.normal() * std), kernelShape: shape, bias: new Float32Array(width) };
    }),
  };
}

function randomSamples(features: number, classes: number, count: number, rng: SeededRandom): LabelledSamples {
  return {
    images: Float32Array.from({ length: count * features }, () => rng.next()),
    labels: Int32Array.from({ length: count }, () => rng.int(classes)),
    count,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string', default: '1000' },
      repeats: { type: 'string', default: '3' },
      hidden: { type: 'string', default: '256' },
    },
  });
  const count = Number(values.samples);
  const repeats = Number(values.repeats);
  const hidden = values.hidden.split(',').map(Number);
  const backend = await initBackend();
  const spec = mlpSpec(784, hidden, 10);
  const rng = new SeededRandom(2025);
  const net = randomNetwork(spec, rng);
  const samples = randomSamples(784, 10, count, rng);
  const model = `MLP 784-${hidden.join('-')}-10`;
  console.log(`${model}, ${count} samples, backend ${backend}, ${repeats} timed runs after one warm-up`);

  const rows: Array<{ method: string; medianMs: number; minMs: number; tensorsLeaked: number }> = [];
  for (const { label, options } of CASES) {
    await computeAttribution(net, samples, options);
    const before = tf.memory().numTensors;
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      await computeAttribution(net, samples, options);
      times.push(performance.now() - start);
    }
    rows.push({ method: label, medianMs: Math.round(median(times)), minMs: Math.round(Math.min(...times)), tensorsLeaked: tf.memory().numTensors - before });
  }

  const width = Math.max(...rows.map((r) => r.method.length));
  console.log(`${'method'.padEnd(width)}  median ms  min ms`);
  for (const r of rows) console.log(`${r.method.padEnd(width)}  ${String(r.medianMs).padStart(9)}  ${String(r.minMs).padStart(6)}${r.tensorsLeaked === 0 ? '' : `  LEAKED ${r.tensorsLeaked} tensors`}`);

  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'bench-attribution.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ model, samples: count, backend, repeats, date: new Date().toISOString(), results: rows }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

await main();
