import type { Network } from '../../common/model/network.ts';
import type { RecordDict } from '../../common/records/index.ts';
import type { AsyncRoundStore } from '../store/index.ts';
import type { OrchestratorObserver } from './orchestrator-events.ts';
import type { RoundPhase } from './round-phase.ts';
import type { RunSettings } from './run-settings.ts';
import type { Strategy } from './strategy.ts';

export type { ClientChannel } from './client-presence.ts';

/** What the orchestrator is made of and told, and what it tells about itself. */
export interface ClientJoin {
  readonly clientId: string;
  readonly numExamples: number;
  readonly labelHistogram: readonly number[] | null;
  /** ClientHello.width_capacity; null = no limit. */
  readonly widthCapacity: number | null;
  readonly tokenFingerprint: string | null;
}

export interface OrchestratorDeps {
  readonly store: AsyncRoundStore;
  readonly strategy: Strategy;
  readonly settings: RunSettings;
  /** The model round 0 starts from when a new run is created. */
  readonly initialModel: Network;
  /** Stored with a new run, for the record (the server's options). */
  readonly runConfig: unknown;
  readonly observe?: OrchestratorObserver;
  readonly now?: () => number;
  readonly serverVersion: string;
  /**
   * Awaited right after entering each phase of a closing round (aggregating,
   * evaluating, committing). For fault tests that must kill the process at a
   * given step (phase-pauses.ts); absent in normal runs.
   */
  readonly afterEntering?: (phase: RoundPhase, round: number) => Promise<void>;
}

export interface LiveRoundStatus {
  readonly runId: string | null;
  readonly round: number;
  readonly state: RoundPhase;
  readonly connectedClients: string[];
  readonly sampledClients: string[];
  readonly updatesReceived: number;
  readonly deadlineUnixMs: number | null;
  readonly roundsPlanned: number;
}

/** The round being trained or closed, in memory (the store has its durable part). */
export interface OpenRound {
  readonly round: number;
  readonly attempt: number;
  readonly sampled: ReadonlySet<string>;
  readonly deadline: number;
  readonly openedAt: number;
  /** Sampled clients whose update is stored (read back from the store on resume, added as each write resolves). */
  readonly answered: Set<string>;
  /**
   * Updates admitted and being written (a group commit's window, a
   * PostgreSQL round trip), by client: the round waits for each to settle
   * before it collects, and a second upload meanwhile is a duplicate.
   */
  readonly writing: Map<string, Promise<void>>;
  timer: NodeJS.Timeout | null;
  /** Per-client records of this round's tasks, computed once per client (Strategy.clientRecords is pure). */
  readonly taskRecords: Map<string, Promise<RecordDict>>;
}
