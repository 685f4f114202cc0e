import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFedfuseError } from '../common/errors/index.ts';
import { isAllowedTransition, parsePhasePauses, PHASE_TRANSITIONS, PhaseMachine, phasePausesFromEnv, ROUND_PHASES, STORED_ROUND_STATE, type RoundPhase } from '../server/rounds/index.ts';

/** The round lifecycle's table of moves (Flower's run-status transitions, tested the same way) and its one setter. */
describe('round phases', () => {
  const valid: Array<[RoundPhase, RoundPhase]> = [
    ['waiting_for_clients', 'training'],
    ['training', 'aggregating'],
    ['aggregating', 'evaluating'],
    ['evaluating', 'committing'],
    ['committing', 'waiting_for_clients'],
    ['committing', 'finished'],
    ['training', 'waiting_for_clients'],
    ['aggregating', 'waiting_for_clients'],
    ['evaluating', 'training'],
    ['waiting_for_clients', 'finished'],
    ['waiting_for_clients', 'failed'],
  ];
  const invalid: Array<[RoundPhase, RoundPhase]> = [
    ['waiting_for_clients', 'aggregating'],
    ['training', 'committing'],
    ['training', 'evaluating'],
    ['aggregating', 'committing'],
    ['evaluating', 'aggregating'],
    ['committing', 'evaluating'],
    ['finished', 'training'],
    ['failed', 'waiting_for_clients'],
    ['training', 'training'],
  ];
  for (const [from, to] of valid) test(`${from} -> ${to} is allowed`, () => assert.equal(isAllowedTransition(from, to), true));
  for (const [from, to] of invalid) test(`${from} -> ${to} is refused`, () => assert.equal(isAllowedTransition(from, to), false));

  test('the table names every phase, and the terminal phases lead nowhere', () => {
    assert.deepEqual(Object.keys(PHASE_TRANSITIONS).sort(), [...ROUND_PHASES].sort());
    for (const targets of Object.values(PHASE_TRANSITIONS)) for (const t of targets) assert.ok((ROUND_PHASES as readonly string[]).includes(t));
    assert.deepEqual([PHASE_TRANSITIONS.finished, PHASE_TRANSITIONS.failed], [[], []]);
  });

  test('only the closing phases are stored as aggregating, so a crash in any of them reopens the round', () => {
    assert.deepEqual(
      ROUND_PHASES.filter((p) => STORED_ROUND_STATE[p] === 'aggregating'),
      ['aggregating', 'evaluating', 'committing'],
    );
    assert.equal(STORED_ROUND_STATE.training, 'open');
  });

  test('PhaseMachine reports every change once and refuses a move from a phase it is not in', () => {
    const changes: string[] = [];
    const machine = new PhaseMachine((round, from, to) => changes.push(`${round}:${from}->${to}`));
    machine.transition('waiting_for_clients', 'training', 1);
    machine.transition('training', 'aggregating', 1);
    assert.throws(() => machine.transition('training', 'aggregating', 1), (e: unknown) => isFedfuseError(e, 'internal') && /the phase is aggregating/.test(e.message));
    assert.throws(() => machine.transition('aggregating', 'committing', 1), (e: unknown) => isFedfuseError(e, 'internal') && /not an allowed transition/.test(e.message));
    assert.equal(machine.current, 'aggregating', 'a refused move changes nothing');
    assert.deepEqual(changes, ['1:waiting_for_clients->training', '1:training->aggregating']);
  });
});

describe('phase pauses for the crash tests', () => {
  test('parse PHASE[@ROUND]:MS lists', () => {
    assert.deepEqual(parsePhasePauses('evaluating@2:3000, committing:15'), [
      { phase: 'evaluating', round: 2, ms: 3000 },
      { phase: 'committing', round: null, ms: 15 },
    ]);
    for (const bad of ['evaluating', 'nap:100', 'committing@x:1', 'committing:-1']) {
      assert.throws(() => parsePhasePauses(bad), (e: unknown) => isFedfuseError(e, 'invalid_argument'), bad);
    }
  });

  test('no variable, no hook; a pause waits only in its phase and round', async () => {
    assert.equal(phasePausesFromEnv({}), undefined);
    const hook = phasePausesFromEnv({ FEDFUSE_PAUSE_AFTER_ENTERING: 'evaluating@2:120' })!;
    const time = async (phase: RoundPhase, round: number): Promise<number> => {
      const started = performance.now();
      await hook(phase, round);
      return performance.now() - started;
    };
    assert.ok((await time('evaluating', 2)) >= 100);
    assert.ok((await time('evaluating', 3)) < 50);
    assert.ok((await time('committing', 2)) < 50);
  });
});
