import { EMPTY_RECORDS } from '../../common/records/index.ts';
import type { AsyncRoundStore, JsonValue } from '../store/index.ts';
import { decodeModelBlob, decodeRecordsBlob } from './model-blobs.ts';
import type { ClientContext, FitResult } from './strategy.ts';

type LastFused = ClientContext['lastFused'];

/**
 * For each client, the records of its latest update that a completed round
 * fused (was a participant of; a screened-out update does not count, since
 * the strategy left it out of its state too). Clients are stateless between
 * rounds (browser tabs, restarts), so a strategy that keeps per-client
 * quantities, like SCAFFOLD's c_i, gets them back from here.
 *
 * Read from the store on first use for a client (newest completed round
 * first), then kept up to date by each commit; so a restarted server finds
 * exactly what the previous process would have sent.
 */
export class FusedRecordsIndex {
  /**
   * Promises, so that two tasks for one client wanting its records at once
   * share one scan. A scan never writes here when it settles: a commit that
   * replaced the entry meanwhile stays.
   */
  private readonly known = new Map<string, Promise<LastFused>>();

  constructor(
    private readonly store: AsyncRoundStore,
    private readonly runId: string,
  ) {}

  lastFused(clientId: string): Promise<LastFused> {
    let found = this.known.get(clientId);
    if (found === undefined) {
      found = this.scan(clientId);
      this.known.set(clientId, found);
      // A failed read (storage down) is not remembered: the next task tries again.
      found.catch(() => {
        if (this.known.get(clientId) === found) this.known.delete(clientId);
      });
    }
    return found;
  }

  /** A round was committed with these participants' updates fused. */
  committed(round: number, fused: readonly FitResult[]): void {
    for (const r of fused) this.known.set(r.clientId, Promise.resolve({ round, records: r.records }));
  }

  private async scan(clientId: string): Promise<LastFused> {
    const rounds = (await this.store.listRounds(this.runId)).filter((r) => r.state === 'done' && participants(r.metrics).includes(clientId));
    const latest = rounds.at(-1);
    if (latest === undefined) return null;
    const update = await this.store.getUpdate(this.runId, latest.round, clientId);
    if (update === undefined || update.records === null) return { round: latest.round, records: EMPTY_RECORDS };
    const what = `records of ${clientId}'s update in round ${latest.round}`;
    return { round: latest.round, records: decodeRecordsBlob(update.records, decodeModelBlob(update.model, what), what) };
  }
}

/** The participants a round's metrics list (the orchestrator writes them at commit). */
function participants(metrics: JsonValue | null): readonly string[] {
  if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) return [];
  const list = (metrics as { readonly [k: string]: JsonValue })['participants'];
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}
