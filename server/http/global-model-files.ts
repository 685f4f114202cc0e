import { FedfuseError, isFedfuseError } from '../../common/errors/index.ts';
import { networkToModelArtifacts, type LayersModelFiles } from '../../common/model/index.ts';
import { networkFromProto } from '../../common/wire/index.ts';
import { fedfuse } from '../../common/wire/generated/fedfuse.js';
import type { AsyncRoundStore } from '../store/index.ts';

/**
 * Which of a round's models: the served one (what the round evaluated and
 * broadcast), or the one the next round's clients train from, which is the
 * served one unless the aggregator keeps them apart.
 */
export type RoundModelKind = 'served' | 'training';

/**
 * A stored global model (an encoded protobuf Model) as TF.js Layers model
 * files, or undefined when the run has no global model for that round. A blob
 * that does not decode is our data gone bad, not the client's request, so
 * every decoding failure is 'internal' whatever code the decoder chose.
 */
export async function loadGlobalModelFiles(store: AsyncRoundStore, runId: string, round: number, kind: RoundModelKind = 'served'): Promise<LayersModelFiles | undefined> {
  const record = await store.getGlobalModel(runId, round);
  if (record === undefined) return undefined;
  const blob = kind === 'training' ? (record.trainingModel ?? record.model) : record.model;
  const what = `${kind === 'training' ? 'training' : 'global'} model ${round} of run "${runId}"`;
  try {
    return networkToModelArtifacts(networkFromProto(fedfuse.v1.Model.decode(blob), what));
  } catch (e) {
    const reason = isFedfuseError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    throw new FedfuseError('internal', `${what} cannot be decoded (${reason})`, { cause: e });
  }
}

/**
 * Converted model files per (run, round, kind). Global models never change once
 * stored, so an entry never goes stale; the cap bounds memory (a 784-400-200-10
 * MLP is about 1.3 MB) when many rounds are downloaded. Least recently used
 * entries go first. Missing models are not cached: they may be stored later.
 */
export class GlobalModelFilesCache {
  private readonly entries = new Map<string, LayersModelFiles>();

  constructor(readonly capacity = 16) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new FedfuseError('invalid_argument', `cache capacity must be a positive integer, got ${capacity}`);
  }

  async get(runId: string, round: number, load: () => Promise<LayersModelFiles | undefined>, kind: RoundModelKind = 'served'): Promise<LayersModelFiles | undefined> {
    const key = JSON.stringify([runId, round, kind]);
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      // Re-insert so that Map order (insertion order) is recency order.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    // Two requests for a model not yet cached may both load it; they get equal files, and the second entry replaces the first.
    const loaded = await load();
    if (loaded === undefined) return undefined;
    this.entries.set(key, loaded);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return loaded;
  }

  get size(): number {
    return this.entries.size;
  }
}
