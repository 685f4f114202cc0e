import { decodeNpy } from '../../common/data/npy-codec.ts';
import { datasetFromNpyArrays } from '../../common/data/npy-arrays.ts';
import type { Dataset } from '../../common/data/dataset.ts';

/** What the server says a client's data must look like (GET /api/join/info). */
export interface JoinInfo {
  readonly runId: string;
  /** One sample's shape: [features] for an MLP, [h, w, c] for a CNN. */
  readonly inputShape: readonly number[];
  readonly classes: number;
  /** The demo partition is offered when the run trains on the embedded digits. */
  readonly demo: { readonly available: boolean; readonly reason: string | null };
}

/** A data set from a picked images.npy and labels.npy, read with the same code as `fedfuse client --data`. */
export async function datasetFromNpyFiles(images: File, labels: File): Promise<Dataset> {
  const [imageBytes, labelBytes] = await Promise.all([images.arrayBuffer(), labels.arrayBuffer()]);
  return datasetFromNpyArrays(decodeNpy(new Uint8Array(imageBytes), images.name), decodeNpy(new Uint8Array(labelBytes), labels.name), {
    dataset: images.name.replace(/\.npy$/i, ''),
    images: images.name,
    labels: labels.name,
  });
}

/** The server's demo partition of the embedded digits, as .npy bytes, decoded the same way. */
export async function demoDataset(part: { index: number; of: number; partition: string; samples: number }): Promise<Dataset> {
  const query = new URLSearchParams({ index: String(part.index), of: String(part.of), partition: part.partition, samples: String(part.samples) });
  const fetchNpy = async (file: string): Promise<Uint8Array> => {
    const res = await fetch(`/api/join/demo/${file}?${query}`);
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new Error(body?.error?.message ?? `the demo data answered ${res.status}`);
    }
    return new Uint8Array(await res.arrayBuffer());
  };
  const [images, labels] = await Promise.all([fetchNpy('images.npy'), fetchNpy('labels.npy')]);
  return datasetFromNpyArrays(decodeNpy(images, 'demo images.npy'), decodeNpy(labels, 'demo labels.npy'), {
    dataset: `embedded digits part ${part.index}/${part.of}`,
    images: 'demo images.npy',
    labels: 'demo labels.npy',
  });
}

/** Height, width and channels the model wants, from its input shape. */
export function imageGeometry(inputShape: readonly number[]): { height: number; width: number; channels: 1 | 3 } {
  if (inputShape.length === 3 && (inputShape[2] === 1 || inputShape[2] === 3)) {
    return { height: inputShape[0]!, width: inputShape[1]!, channels: inputShape[2] };
  }
  if (inputShape.length === 1) {
    const features = inputShape[0]!;
    for (const channels of [1, 3] as const) {
      const side = Math.round(Math.sqrt(features / channels));
      if (side * side * channels === features) return { height: side, width: side, channels };
    }
  }
  throw new Error(`the model's input shape [${inputShape.join(', ')}] is not an image this page can make from PNG files`);
}

/** `file,label` lines (a header line is skipped when its label is not a number); files match by path or by name. */
export function parseLabelsCsv(text: string): Map<string, number> {
  const labels = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const cut = line.lastIndexOf(',');
    const name = line.slice(0, cut).trim().replace(/^"|"$/g, '');
    const label = Number(line.slice(cut + 1).trim());
    if (cut < 0 || !Number.isInteger(label) || label < 0) {
      if (i === 0) return; // a header
      throw new Error(`labels CSV line ${i + 1}: expected "file,label" with a non-negative integer label, got "${line}"`);
    }
    labels.set(name, label);
  });
  return labels;
}

/**
 * PNG images resized to the model's input (grayscale by luminance when it
 * has one channel), values in [0, 1], labelled from the CSV. Every image
 * needs a label and every label must be below the model's class count.
 */
export async function datasetFromPngFolder(files: readonly File[], labelsCsv: File, info: JoinInfo): Promise<Dataset> {
  const { height, width, channels } = imageGeometry(info.inputShape);
  const labels = parseLabelsCsv(await labelsCsv.text());
  // In path order, whatever order the browser lists the folder in: the same folder gives the same data set.
  const pathOf = (f: File): string => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
  const pngs = files.filter((f) => /\.png$/i.test(f.name)).sort((a, b) => (pathOf(a) < pathOf(b) ? -1 : pathOf(a) > pathOf(b) ? 1 : 0));
  if (pngs.length === 0) throw new Error('the folder has no .png files');
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx === null) throw new Error('this browser cannot decode images on a canvas');
  const features = height * width * channels;
  const images = new Float32Array(pngs.length * features);
  const out = new Int32Array(pngs.length);
  for (const [i, file] of pngs.entries()) {
    const path = pathOf(file);
    const label = labels.get(path) ?? labels.get(path.split('/').slice(1).join('/')) ?? labels.get(file.name);
    if (label === undefined) throw new Error(`${file.name} has no label in ${labelsCsv.name}`);
    if (label >= info.classes) throw new Error(`${file.name}: label ${label} is not below the model's ${info.classes} classes`);
    const bitmap = await createImageBitmap(file);
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const rgba = ctx.getImageData(0, 0, width, height).data;
    for (let p = 0; p < width * height; p++) {
      const [r, g, b] = [rgba[p * 4]!, rgba[p * 4 + 1]!, rgba[p * 4 + 2]!];
      if (channels === 1) images[i * features + p] = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
      else for (let c = 0; c < 3; c++) images[i * features + p * 3 + c] = [r, g, b][c]! / 255;
    }
    out[i] = label;
  }
  return { name: `${pngs.length} PNG images`, images, labels: out, count: pngs.length, sampleShape: [...info.inputShape], numClasses: info.classes };
}
