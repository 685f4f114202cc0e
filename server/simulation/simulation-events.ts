/**
 * What a simulation reports as it goes, for the progress display and the
 * logs. `label` names the aggregator run (AggregatorVariant.label).
 */
export type ClientPhase = 'training' | 'uploading' | 'fusing' | 'evaluating';

export type SimulationEvent =
  | { readonly type: 'setup'; readonly message: string }
  | { readonly type: 'runStarted'; readonly label: string; readonly run: number; readonly runs: number; readonly rounds: number; readonly runId: string; readonly url: string }
  | { readonly type: 'roundOpened'; readonly label: string; readonly round: number; readonly sampled: number }
  | { readonly type: 'clientTrained'; readonly label: string; readonly round: number; readonly clientId: string; readonly seconds: number; readonly trained: number; readonly sampled: number }
  | { readonly type: 'updateAccepted'; readonly label: string; readonly round: number; readonly clientId: string; readonly bytes: number; readonly received: number; readonly sampled: number }
  | { readonly type: 'phase'; readonly label: string; readonly round: number; readonly phase: ClientPhase }
  | {
      readonly type: 'roundCompleted';
      readonly label: string;
      readonly round: number;
      readonly rounds: number;
      readonly accuracy: number | null;
      readonly ensembleAccuracy: number | null;
      /** The model the next round's clients start from, when it is not the served one (kf-linear trains from the average). */
      readonly trainingModelAccuracy: number | null;
      readonly fusionSeconds: number;
      readonly roundSeconds: number;
    }
  | { readonly type: 'runFinished'; readonly label: string; readonly wallSeconds: number; readonly bestAccuracy: number | null };

export type SimulationObserver = (event: SimulationEvent) => void;
