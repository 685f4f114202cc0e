import { FedfuseError } from '../../common/errors/index.ts';

/** A round named in a URL: a number, or the newest one. */
export type RoundSelector = number | 'latest';

/** Digits only, no sign, no leading zero, at most 9 digits: anything else (a path, '1e3', ' 1') is refused before any lookup. */
const ROUND_NUMBER = /^(0|[1-9][0-9]{0,8})$/;

/** Parses the `:n` of a round route; throws invalid_argument (400) for anything but an integer >= 0 or 'latest'. */
export function parseRoundParam(raw: string | undefined): RoundSelector {
  if (raw === 'latest') return 'latest';
  if (raw !== undefined && ROUND_NUMBER.test(raw)) return Number(raw);
  const shown = raw === undefined ? '(missing)' : JSON.stringify(raw.slice(0, 40));
  throw new FedfuseError('invalid_argument', `round must be a non-negative integer or "latest", got ${shown}`);
}
