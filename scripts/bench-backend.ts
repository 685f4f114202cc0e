/**
 * Times the TF.js wasm backend with and without our kernel fixes
 * (common/backend/wasm-kernel-fixes.ts): plain and transposed matMul, one
 * epoch of an MLP 784-400-200-10 and of a small CNN with model.fit, and the
 * CNN's backprop kernels against the alternatives. Prints a table and writes
 * results/bench-backend.json.
 *
 *   node --import tsx scripts/bench-backend.ts [--samples 8000] [--cnn-samples 8000] [--repeats 5] [--cpu]
 *
 * --cpu adds the cpu backend's plain matMul for reference (an MLP epoch on cpu
 * takes ~30 s, so it is not run). Each case runs once untimed, then R times
 * (epochs: once); the table shows the median and fastest run. Other processes
 * share this machine's two cores, so figures vary by tens of percent.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../common/backend/index.ts';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from '../common/backend/wasm-kernel-fixes.ts';
import { replaceWasmKernel, requireShippedWasmKernel } from '../common/backend/wasm-kernel-registry.ts';
import { wasmConv2DBackpropFilter } from '../common/backend/wasm-conv2d-backprop-filter.ts';

/** Runs a kernel function directly and waits for its output. */
async function runKernelFunc(kernel: tf.KernelFunc, inputs: Record<string, tf.TensorInfo>, attrs: tf.NamedAttrMap): Promise<void> {
  const out = kernel({ inputs, backend: tf.backend(), attrs });
  if (Array.isArray(out)) throw new Error('one output expected');
  const t = tf.engine().makeTensorFromTensorInfo(out);
  await t.data();
  t.dispose();
}

interface Row {
  readonly label: string;
  readonly variant: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
  readonly note?: string;
}

const rows: Row[] = [];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Runs `fn` once untimed, then `repeats` times. `fn` must finish its work (await data) before resolving. */
async function time(label: string, variant: string, repeats: number, fn: () => Promise<void>, note?: string): Promise<Row> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  const row: Row = { label, variant, medianMs: median(ms), minMs: Math.min(...ms), runs: repeats, ...(note === undefined ? {} : { note }) };
  rows.push(row);
  process.stderr.write(`  ${label} [${variant}]: ${row.medianMs.toFixed(1)} ms\n`);
  return row;
}

async function matMulOnce(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): Promise<void> {
  const c = tf.matMul(a, b, transposeA, transposeB);
  await c.data();
  c.dispose();
}

async function benchMatMul(repeats: number, withCpu: boolean): Promise<void> {
  const a = tf.randomUniform([1000, 784]);
  const b = tf.randomUniform([784, 400]);
  await time('matMul 1000x784 @ 784x400', 'wasm', repeats, () => matMulOnce(a, b, false, false));
  if (withCpu) {
    await tf.setBackend('cpu');
    const ac = tf.randomUniform([1000, 784]);
    const bc = tf.randomUniform([784, 400]);
    await time('matMul 1000x784 @ 784x400', 'cpu', Math.min(repeats, 3), () => matMulOnce(ac, bc, false, false));
    tf.dispose([ac, bc]);
    await tf.setBackend('wasm');
  }
  // facts.md's case: 785x1000 @ 1000x800, the first operand stored as [1000, 785] (the Gram-like
  // product of least squares and of a Dense layer's weight gradient).
  const x = tf.randomUniform([1000, 785]);
  const y = tf.randomUniform([1000, 800]);
  const yT = tf.randomUniform([800, 1000]);
  for (const fixed of [false, true]) {
    if (fixed) installWasmKernelFixes();
    else uninstallWasmKernelFixes();
    const variant = fixed ? 'wasm + fixes' : 'wasm shipped';
    await time('matMul transposeA: (1000x785)ᵀ @ 1000x800', variant, repeats, () => matMulOnce(x, y, true, false));
    await time('matMul transposeB: 785x1000 @ (800x1000)ᵀ', variant, repeats, () => matMulOnce(tf.transpose(x), yT, false, true));
  }
  installWasmKernelFixes();
  tf.dispose([a, b, x, y, yT]);
}

function randomClassification(samples: number, shape: number[], classes: number): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => ({
    xs: tf.randomUniform([samples, ...shape], 0, 1, 'float32', 1),
    ys: tf.oneHot(tf.randomUniform([samples], 0, classes, 'int32', 2), classes).toFloat(),
  }));
}

async function fitEpoch(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<void> {
  await model.fit(xs, ys, { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 });
}

function mlp(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [784], units: 400, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 200, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return model;
}

/** The CNN of the backend task: Conv2D 3x3 same relu -> MaxPool 2 -> Conv2D 3x3 same relu -> MaxPool 2 -> Flatten -> Dense softmax. */
function cnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return model;
}

async function benchEpochs(samples: number, cnnSamples: number): Promise<void> {
  const { xs, ys } = randomClassification(samples, [784], 10);
  const warm = randomClassification(256, [784], 10);
  for (const fixed of [false, true]) {
    if (fixed) installWasmKernelFixes();
    else uninstallWasmKernelFixes();
    const model = mlp();
    await fitEpoch(model, warm.xs, warm.ys);
    const variant = fixed ? 'wasm + fixes' : 'wasm shipped';
    await time(`MLP 784-400-200-10, 1 epoch of ${samples} (batch 64, adam)`, variant, 1, () => fitEpoch(model, xs, ys));
    model.dispose();
  }
  installWasmKernelFixes();
  tf.dispose([xs, ys, warm.xs, warm.ys]);

  const images = randomClassification(cnnSamples, [28, 28, 1], 10);
  const warmImages = randomClassification(128, [28, 28, 1], 10);
  const cnnLabel = `CNN 28x28x1 conv8-pool-conv16-pool-dense, 1 epoch of ${cnnSamples} (batch 64, adam)`;
  // 'only Conv2DBackpropFilter added': the least that lets a CNN train on wasm, for comparison.
  for (const variant of ['only Conv2DBackpropFilter added', 'wasm + fixes'] as const) {
    uninstallWasmKernelFixes();
    if (variant === 'wasm + fixes') installWasmKernelFixes();
    else replaceWasmKernel(tf.Conv2DBackpropFilter, () => wasmConv2DBackpropFilter());
    const model = cnn();
    await fitEpoch(model, warmImages.xs, warmImages.ys);
    const row = await time(cnnLabel, variant, 1, () => fitEpoch(model, images.xs, images.ys));
    if (cnnSamples !== 8000) {
      rows.push({ ...row, label: 'CNN, 1 epoch of 8000 (extrapolated)', medianMs: (row.medianMs * 8000) / cnnSamples, minMs: (row.minMs * 8000) / cnnSamples });
    }
    model.dispose();
  }
  uninstallWasmKernelFixes();
  installWasmKernelFixes();
  rows.push({ label: 'CNN, 1 epoch', variant: 'wasm shipped', medianMs: NaN, minMs: NaN, runs: 0, note: 'cannot train: Conv2DBackpropFilter not registered' });
  tf.dispose([images.xs, images.ys, warmImages.xs, warmImages.ys]);
}

/**
 * The CNN's backprop kernels per batch of 64, ours against the alternatives:
 * the filter gradient by im2col vs the mapping onto the shipped
 * Conv3DBackpropFilterV2 with depth 1 (facts.md), and the input gradient and
 * max-pool gradient vs the shipped kernels (the shipped MaxPoolGrad is wrong
 * on all-negative windows; timed for comparison only).
 */
async function benchBackpropKernels(repeats: number): Promise<void> {
  const conv3d = requireShippedWasmKernel(tf.Conv3DBackpropFilterV2);
  const shippedInput = requireShippedWasmKernel(tf.Conv2DBackpropInput);
  const shippedPool = requireShippedWasmKernel(tf.MaxPoolGrad);
  const ours = (name: string) => {
    const k = tf.getKernel(name, 'wasm');
    if (k === undefined) throw new Error(`${name} not registered`);
    return k.kernelFunc;
  };
  const layers = [
    { label: 'conv1 64x28x28x1, 3x3x1x8', x: [64, 28, 28, 1], dy: [64, 28, 28, 8], filterShape: [3, 3, 1, 8] },
    { label: 'conv2 64x14x14x8, 3x3x8x16', x: [64, 14, 14, 8], dy: [64, 14, 14, 16], filterShape: [3, 3, 8, 16] },
  ] as const;
  for (const l of layers) {
    const x = tf.randomUniform([...l.x]);
    const dy = tf.randomUniform([...l.dy]);
    const filter = tf.randomUniform([...l.filterShape]);
    const conv = { strides: 1, pad: 'same', dataFormat: 'NHWC' };
    const x5: tf.TensorInfo = { dataId: x.dataId, shape: [l.x[0], 1, l.x[1], l.x[2], l.x[3]], dtype: 'float32' };
    const dy5: tf.TensorInfo = { dataId: dy.dataId, shape: [l.dy[0], 1, l.dy[1], l.dy[2], l.dy[3]], dtype: 'float32' };
    await time(`filter gradient ${l.label}`, 'im2col + BatchMatMul (ours)', repeats, () =>
      runKernelFunc(ours(tf.Conv2DBackpropFilter), { x, dy }, { ...conv, filterShape: [...l.filterShape] }),
    );
    await time(`filter gradient ${l.label}`, 'Conv3DBackpropFilterV2, depth 1', repeats, () =>
      runKernelFunc(conv3d, { x: x5, dy: dy5 }, { strides: [1, 1, 1], pad: 'same', filterShape: [1, ...l.filterShape] }),
    );
    const inputAttrs = { ...conv, inputShape: [...l.x] };
    await time(`input gradient ${l.label}`, 'BatchMatMul + col2im (ours)', repeats, () => runKernelFunc(ours(tf.Conv2DBackpropInput), { dy, filter }, inputAttrs));
    await time(`input gradient ${l.label}`, 'wasm shipped', repeats, () => runKernelFunc(shippedInput, { dy, filter }, inputAttrs));
    tf.dispose([x, dy, filter]);
  }
  const pooled = tf.randomUniform([64, 28, 28, 8], -1, 1);
  const pooledOut = tf.maxPool(pooled as tf.Tensor4D, 2, 2, 'valid');
  const poolDy = tf.randomUniform(pooledOut.shape);
  const poolAttrs = { filterSize: 2, strides: 2, pad: 'valid' };
  const poolInputs = { dy: poolDy, input: pooled, output: pooledOut };
  await time('maxPool 2x2 gradient 64x28x28x8', 'ours (JS)', repeats, () => runKernelFunc(ours(tf.MaxPoolGrad), poolInputs, poolAttrs));
  await time('maxPool 2x2 gradient 64x28x28x8', 'wasm shipped (wrong on all-negative windows)', repeats, () => runKernelFunc(shippedPool, poolInputs, poolAttrs));
  tf.dispose([pooled, pooledOut, poolDy]);
}

function printTable(): void {
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const variantWidth = Math.max(...rows.map((r) => r.variant.length));
  const fmt = (ms: number) => (Number.isNaN(ms) ? '-' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
  console.log(`${'case'.padEnd(labelWidth)}  ${'variant'.padEnd(variantWidth)}  ${'median'.padStart(10)}  ${'fastest'.padStart(10)}  runs`);
  for (const r of rows) {
    const note = r.note === undefined ? '' : `  (${r.note})`;
    console.log(`${r.label.padEnd(labelWidth)}  ${r.variant.padEnd(variantWidth)}  ${fmt(r.medianMs).padStart(10)}  ${fmt(r.minMs).padStart(10)}  ${r.runs}${note}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string', default: '8000' },
      'cnn-samples': { type: 'string', default: '8000' },
      repeats: { type: 'string', default: '5' },
      cpu: { type: 'boolean', default: false },
    },
  });
  const samples = Number(values.samples);
  const cnnSamples = Number(values['cnn-samples']);
  const repeats = Number(values.repeats);
  if (![samples, cnnSamples, repeats].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--samples, --cnn-samples and --repeats take positive integers');

  const backend = await initBackend('wasm');
  await benchMatMul(repeats, values.cpu === true);
  await benchBackpropKernels(repeats);
  await benchEpochs(samples, cnnSamples);
  printTable();

  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'bench-backend.json');
  mkdirSync(dirname(out), { recursive: true });
  const meta = { backend, node: process.version, tfjs: tf.version.tfjs, date: new Date().toISOString(), samples, cnnSamples, repeats, loadAverage: (await import('node:os')).loadavg() };
  writeFileSync(out, `${JSON.stringify({ meta, rows }, null, 2)}\n`);
  console.log(`\nwritten ${out}`);
}

await main();
