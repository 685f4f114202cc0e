import { carveHoldout, encodeNpy, loadEmbeddedMnist, parsePartitionScheme, partition, subset } from '../../common/data/index.ts';
import { FedfuseError } from '../../common/errors/index.ts';

/** The server's calibration/test carve, which a demo client must leave out exactly as `fedfuse client --partition` does. */
export interface DemoDataSettings {
  readonly splitSeed: number;
  readonly calibrationSize: number;
  readonly testSize: number;
}

export interface DemoPartRequest {
  readonly index: number;
  readonly of: number;
  readonly partition: string;
  /** Keep at most this many samples of the part (0: all). */
  readonly samples: number;
}

/** More parts than this is not a demo. */
const MAX_PARTS = 1_000;

/** Reads and checks ?index=&of=&partition=&samples=; a bad value is a one-line 'invalid_argument'. */
export function parseDemoPartRequest(query: Record<string, unknown>): DemoPartRequest {
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    const v = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(v) || v < min || v > max) throw new FedfuseError('invalid_argument', `${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
    return v;
  };
  const of = int('of', 10, 1, MAX_PARTS);
  const index = int('index', 0, 0, of - 1);
  const samples = int('samples', 0, 0, 100_000);
  const scheme = query['partition'] ?? 'iid';
  if (typeof scheme !== 'string' || scheme.length > 40) throw new FedfuseError('invalid_argument', 'partition must be a partition scheme such as iid or dirichlet:0.5');
  parsePartitionScheme(scheme);
  return { index, of, partition: scheme, samples };
}

/**
 * One client's part of the embedded digits for the browser client's demo:
 * the same carve and partition as `fedfuse client --data mnist --partition P
 * --client-index I --num-clients N` with the server's split settings, so a
 * browser tab and a Node client given the same part train on the same
 * samples. Answered as two .npy files (float32 images, uint8 labels), which
 * the page decodes with the code that reads a person's own .npy files.
 */
export function demoPartitionNpy(settings: DemoDataSettings, request: DemoPartRequest): { images: Uint8Array; labels: Uint8Array; count: number } {
  const ds = loadEmbeddedMnist();
  const holdout = carveHoldout(ds.labels, { testSize: settings.testSize, calibrationSize: settings.calibrationSize, seed: settings.splitSeed });
  const parts = partition(ds.labels, request.of, parsePartitionScheme(request.partition), settings.splitSeed, holdout.rest);
  let indices = parts[request.index]!;
  if (request.samples > 0) indices = indices.slice(0, request.samples);
  const part = subset(ds, indices);
  return {
    images: encodeNpy(part.images, [part.count, ...part.sampleShape]),
    labels: encodeNpy(Uint8Array.from(part.labels), [part.count]),
    count: part.count,
  };
}
