import { FedfuseError } from '../../common/errors/index.ts';
import { checkFinite, checkId, checkNonNegativeInteger, checkTime } from './input-checks.ts';
import { encodeJson } from './json-column.ts';
import type { NewEvaluation } from './round-store.ts';

export type CheckedEvaluation = Required<NewEvaluation> & { readonly extraJson: string | null };

/** Checks an evaluation before it is stored; `now` supplies a missing time. */
export function checkEvaluation(e: NewEvaluation, now: () => number): CheckedEvaluation {
  const accuracy = checkFinite(e.accuracy, 'accuracy');
  if (accuracy < 0 || accuracy > 1) throw new FedfuseError('invalid_argument', `accuracy must be in [0, 1], got ${accuracy}`);
  return {
    runId: e.runId,
    round: checkNonNegativeInteger(e.round, 'round'),
    dataset: checkId(e.dataset, 'dataset'),
    accuracy,
    loss: checkFinite(e.loss, 'loss'),
    samples: checkNonNegativeInteger(e.samples, 'samples'),
    extra: e.extra,
    extraJson: e.extra === undefined ? null : encodeJson(e.extra, 'evaluation extra'),
    at: checkTime(e.at ?? now(), 'at'),
  };
}
