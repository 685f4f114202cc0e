import cliProgress from 'cli-progress';
import { percent } from './results-table.ts';
import type { ClientPhase, SimulationEvent } from './simulation-events.ts';

/** Shows a simulation's progress; `stop` before printing anything else to the terminal. Both may be passed around on their own. */
export interface ProgressReporter {
  readonly onEvent: (event: SimulationEvent) => void;
  readonly stop: () => void;
}

export type ProgressMode = 'live' | 'lines' | 'quiet' | 'json';

/**
 * A live bar on a terminal; one plain line per event when stderr is not a
 * terminal; with --quiet one line per round; with --json one JSON object per
 * event (stdout then carries only the results).
 */
export function chooseProgressMode(flags: { quiet: boolean; json: boolean }, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (flags.json) return 'json';
  if (flags.quiet) return 'quiet';
  return stream.isTTY ? 'live' : 'lines';
}

export function createProgressReporter(mode: ProgressMode, stream: NodeJS.WritableStream = process.stderr): ProgressReporter {
  switch (mode) {
    case 'live':
      return new LiveProgress(stream);
    case 'json':
      return { onEvent: (e) => stream.write(`${JSON.stringify({ at: new Date().toISOString(), ...e })}\n`), stop() {} };
    case 'lines':
    case 'quiet': {
      const write = (line: string | null): void => {
        if (line !== null) stream.write(`${line}\n`);
      };
      return { onEvent: (e) => write(describeEvent(e, mode === 'quiet')), stop() {} };
    }
  }
}

/** One log line for an event, or null when the event is not worth a line (at this verbosity). */
export function describeEvent(e: SimulationEvent, roundsOnly: boolean): string | null {
  const tag = 'label' in e ? `[${e.label}] ` : '';
  switch (e.type) {
    case 'setup':
      return `fedfuse simulate: ${e.message}`;
    case 'runStarted':
      return `${tag}run ${e.run}/${e.runs} started: ${e.rounds} ${e.rounds === 1 ? 'round' : 'rounds'}, server ${e.url}, run id ${e.runId}`;
    case 'roundOpened':
      return roundsOnly ? null : `${tag}round ${e.round}: ${e.sampled} ${e.sampled === 1 ? 'client' : 'clients'} sampled, training`;
    case 'clientTrained':
      return roundsOnly ? null : `${tag}round ${e.round}: ${e.clientId} trained in ${e.seconds.toFixed(2)} s (${e.trained}/${e.sampled})`;
    case 'updateAccepted':
      return roundsOnly ? null : `${tag}round ${e.round}: ${e.clientId}'s update stored, ${(e.bytes / 1e6).toFixed(2)} MB (${e.received}/${e.sampled})`;
    case 'phase':
      return roundsOnly || e.phase === 'training' || e.phase === 'uploading' ? null : `${tag}round ${e.round}: ${e.phase}`;
    case 'roundCompleted':
      return (
        `${tag}round ${e.round}/${e.rounds} done: accuracy ${percent(e.accuracy)}, ` +
        // Shown only when the clients train from another model than the served one, so the drift between them is visible.
        (e.trainingModelAccuracy !== null && e.trainingModelAccuracy !== e.accuracy ? `training model ${percent(e.trainingModelAccuracy)}, ` : '') +
        `clients' ensemble ${percent(e.ensembleAccuracy)}, ` +
        `fusion ${e.fusionSeconds.toFixed(2)} s, round ${e.roundSeconds.toFixed(1)} s`
      );
    case 'runFinished':
      return `${tag}finished in ${e.wallSeconds.toFixed(1)} s, best accuracy ${percent(e.bestAccuracy)}`;
  }
}

/** The live display: one bar over all rounds of all runs, with the current run, round, clients, phase, last accuracy and an ETA. */
class LiveProgress implements ProgressReporter {
  private readonly multi: cliProgress.MultiBar;
  private bar: cliProgress.SingleBar | null = null;
  private totalRounds = 0;
  private doneRounds = 0;
  private firstStart = 0;
  private state = { label: '', run: 0, runs: 0, round: 0, rounds: 0, trained: 0, stored: 0, sampled: 0, phase: 'starting' as ClientPhase | 'starting' | 'finished', accuracy: null as number | null };

  constructor(stream: NodeJS.WritableStream) {
    this.multi = new cliProgress.MultiBar(
      {
        stream,
        format: '{label} {run} | round {round} |{bar}| clients {clients} | {phase} | last acc {accuracy} | ETA {eta_text}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  /** An arrow property, not a method: callers pass `reporter.onEvent` around on its own. */
  readonly onEvent = (e: SimulationEvent): void => {
    switch (e.type) {
      case 'setup':
        this.multi.log(`fedfuse simulate: ${e.message}\n`);
        return;
      case 'runStarted':
        if (this.firstStart === 0) this.firstStart = performance.now();
        this.totalRounds = e.rounds * e.runs;
        this.state = { ...this.state, label: e.label, run: e.run, runs: e.runs, round: 0, rounds: e.rounds, trained: 0, stored: 0, sampled: 0, phase: 'starting' };
        this.bar ??= this.multi.create(this.totalRounds, this.doneRounds, this.payload());
        break;
      case 'roundOpened':
        this.state = { ...this.state, round: e.round, trained: 0, stored: 0, sampled: e.sampled, phase: 'training' };
        break;
      case 'clientTrained':
        this.state = { ...this.state, trained: e.trained };
        break;
      case 'updateAccepted':
        this.state = { ...this.state, stored: e.received };
        break;
      case 'phase':
        this.state = { ...this.state, phase: e.phase };
        break;
      case 'roundCompleted':
        this.doneRounds++;
        this.state = { ...this.state, accuracy: e.accuracy };
        this.multi.log(`${describeEvent(e, true)}\n`);
        break;
      case 'runFinished':
        this.state = { ...this.state, phase: 'finished' };
        this.multi.log(`${describeEvent(e, true)}\n`);
        break;
    }
    this.bar?.update(this.doneRounds, this.payload());
  };

  readonly stop = (): void => {
    this.multi.stop();
  };

  private payload(): Record<string, string> {
    const s = this.state;
    return {
      label: s.label,
      run: `(${s.run}/${s.runs})`,
      round: `${s.round}/${s.rounds}`,
      clients: `${s.trained}/${s.sampled} trained, ${s.stored}/${s.sampled} stored`,
      phase: s.phase,
      accuracy: percent(s.accuracy),
      eta_text: this.eta(),
    };
  }

  /** Mean time per completed round so far times the rounds left. */
  private eta(): string {
    if (this.doneRounds === 0) return '?';
    const perRound = (performance.now() - this.firstStart) / 1000 / this.doneRounds;
    const left = Math.max(0, Math.round(perRound * (this.totalRounds - this.doneRounds)));
    return left >= 60 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`;
  }
}
