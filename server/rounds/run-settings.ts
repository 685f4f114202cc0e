import type { DataCarve } from '../../common/wire/index.ts';

/**
 * How a run proceeds. Every field has a documented default
 * (DEFAULT_RUN_SETTINGS); the server's options map onto it.
 */
export interface RunSettings {
  /** Resume this run id (or create it); null = resume the newest running run, else start a new one. */
  readonly runId: string | null;
  /** Rounds to complete before the run is finished. Default 10. */
  readonly rounds: number;
  /** Connected clients needed before a round opens. Default 2. */
  readonly minClients: number;
  /** How long a round waits for updates. Default 300 s. */
  readonly roundTimeoutMs: number;
  /** Updates needed at the deadline to aggregate; fewer fails the round. Default 1. */
  readonly quorum: number;
  /** Tries per round (a failed round is reopened with a new sample) before the run fails. Default 3. */
  readonly maxAttempts: number;
  /**
   * Largest num_examples a client may claim. FedAvg weights by it, so a client
   * claiming 10^12 examples would take over the average: such updates are
   * rejected (not capped: a capped liar still gets the largest weight). Default 10^7.
   */
  readonly maxNumExamples: number;
  /** Seeds client sampling. Default 0. */
  readonly seed: number;
  /**
   * How long a sampled client that disconnected (or that has not reconnected
   * since a server restart) is waited for before the round may close without
   * it, ahead of the deadline. Default 15 s.
   */
  readonly reconnectGraceMs: number;
  /**
   * The server's calibration/test carve, told to every client in Welcome so
   * that one partitioning the same data set carves it the same way. Default
   * null (not said: the server's data is its own).
   */
  readonly dataCarve: DataCarve | null;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  runId: null,
  rounds: 10,
  minClients: 2,
  roundTimeoutMs: 300_000,
  quorum: 1,
  maxAttempts: 3,
  maxNumExamples: 10_000_000,
  seed: 0,
  reconnectGraceMs: 15_000,
  dataCarve: null,
};
