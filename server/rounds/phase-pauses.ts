import { FedfuseError } from '../../common/errors/index.ts';
import { ROUND_PHASES, type RoundPhase } from './round-phase.ts';

/**
 * Fault injection for the crash tests: the environment variable
 * FEDFUSE_PAUSE_AFTER_ENTERING="evaluating@2:3000,committing:1500" makes the
 * server wait 3000 ms right after round 2 enters 'evaluating' and 1500 ms
 * after every round enters 'committing', so that a test can SIGKILL a real
 * process at a known step of a round instead of racing it. Unset (always, in
 * normal runs): no pause and no cost.
 */
export const PHASE_PAUSES_ENV = 'FEDFUSE_PAUSE_AFTER_ENTERING';

export interface PhasePause {
  readonly phase: RoundPhase;
  /** null = every round. */
  readonly round: number | null;
  readonly ms: number;
}

export function parsePhasePauses(text: string): PhasePause[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const m = /^([a-z_]+)(?:@(\d+))?:(\d+)$/.exec(item);
      if (m === null || !(ROUND_PHASES as readonly string[]).includes(m[1]!)) {
        throw new FedfuseError('invalid_argument', `${PHASE_PAUSES_ENV}: "${item}" is not PHASE[@ROUND]:MS with PHASE one of ${ROUND_PHASES.join(', ')}`);
      }
      return { phase: m[1] as RoundPhase, round: m[2] === undefined ? null : Number(m[2]), ms: Number(m[3]) };
    });
}

/** The orchestrator's afterEntering hook for the pauses in `env`, or undefined when there are none. */
export function phasePausesFromEnv(env: NodeJS.ProcessEnv): ((phase: RoundPhase, round: number) => Promise<void>) | undefined {
  const text = env[PHASE_PAUSES_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  const pauses = parsePhasePauses(text);
  return async (phase, round) => {
    const pause = pauses.find((p) => p.phase === phase && (p.round === null || p.round === round));
    if (pause !== undefined) await new Promise((resolve) => setTimeout(resolve, pause.ms));
  };
}
