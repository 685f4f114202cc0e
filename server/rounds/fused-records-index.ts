import { EMPTY_RECORDS } from '../../common/records/index.ts';
import type { JsonValue, RoundStore } from '../store/index.ts';
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
  private readonly known = new Map<string, LastFused>();

  constructor(
    private readonly store: RoundStore,
    private readonly runId: string,
  ) {}

  lastFused(clientId: string): LastFused {
    if (!this.known.has(clientId)) this.known.set(clientId, this.scan(clientId));
    return this.known.get(clientId)!;
  }

  /** A round was committed with these participants' updates fused. */
  committed(round: number, fused: readonly FitResult[]): void {
    for (const r of fused) this.known.set(r.clientId, { round, records: r.records });
  }

  private scan(clientId: string): LastFused {
    const rounds = this.store.listRounds(this.runId).filter((r) => r.state === 'done' && participants(r.metrics).includes(clientId));
    const latest = rounds.at(-1);
    if (latest === undefined) return null;
    const update = this.store.getUpdate(this.runId, latest.round, clientId);
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
