import type { RoundStore } from './round-store.ts';

/** `T`'s methods, each returning a promise of what it returned. */
type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/**
 * The store contract every backend implements (Flower's LinkState pattern:
 * in-memory SQLite, SQLite file and PostgreSQL behind one contract suite,
 * test/store-contract-suite.ts). The same methods, inputs, records and error
 * codes as RoundStore, whose documentation applies, except that each
 * resolves instead of returning and rejects instead of throwing, so that a
 * store on another machine (PostgreSQL) or thread fits behind it.
 *
 * What a resolved write promises is what a returned RoundStore write
 * promises: it is durable, so an update may be acknowledged the moment
 * `recordUpdate` resolves. Writes that are not awaited may take effect in any
 * order, and a read sees what was resolved before it was called.
 *
 * Safe with several writers (server nodes sharing one PostgreSQL database):
 * every read-then-write runs in one transaction whose checks see the rows it
 * then writes; a round is completed at most once (`completeRound` advances
 * the run only `WHERE current_round = round - 1`); an update is accepted only
 * while its round is 'open', and a round leaves 'open' only after every
 * update accepted before has committed, so the updates read back for fusion
 * are exactly the acknowledged ones.
 */
export interface AsyncRoundStore extends Promised<Omit<RoundStore, 'close'>> {
  /** 'sqlite' or 'postgres', for logs and /api/health. */
  readonly backend: StoreBackend;
  /** Idempotent. Waits for writes in progress; any later call rejects with 'unavailable'. */
  close(): Promise<void>;
}

export type StoreBackend = 'sqlite' | 'postgres';
