/**
 * Value parsers of the option tables. One parser reads an option's value from
 * wherever it came: a command-line flag (always a string), a JSON/YAML config
 * file (a number, string, boolean or null) or an environment variable. A
 * parser returns the typed value or throws an OptionValueError saying what the
 * value must be; the table (option-table.ts) adds where the value came from, so
 * every wrong value is one line naming its flag or config key.
 */

export class OptionValueError extends Error {
  override readonly name = 'OptionValueError';
}

/** Reads one option's value; `describe` is how the help text names the values (e.g. `integer >= 1`). */
export interface ValueParser<T> {
  (value: unknown): T;
  readonly describe: string;
  /** The accepted words, for parsers of a fixed list (help lists them). */
  readonly choices?: readonly string[];
}

function parser<T>(describe: string, parse: (value: unknown) => T, choices?: readonly string[]): ValueParser<T> {
  return Object.assign(parse, choices === undefined ? { describe } : { describe, choices });
}

function fail(what: string): never {
  throw new OptionValueError(what);
}

/** A finite number from a number or a numeric string (no hex, no empty string). */
function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return null;
  return Number(value);
}

/** An integer in [min, max]. */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): ValueParser<number> {
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
  return parser(range, (value) => {
    const n = toNumber(value);
    if (n === null || !Number.isSafeInteger(n) || n < min || n > max) fail(`must be ${range}`);
    return n;
  });
}

interface NumberRange {
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
}

/** A finite number within the range. */
export function number(range: NumberRange = {}): ValueParser<number> {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`>= ${range.min}`);
  if (range.above !== undefined) parts.push(`> ${range.above}`);
  if (range.max !== undefined) parts.push(`<= ${range.max}`);
  const what = parts.length === 0 ? 'a number' : `a number ${parts.join(' and ')}`;
  return parser(what, (value) => {
    const n = toNumber(value);
    if (n === null) fail(`must be ${what}`);
    if ((range.min !== undefined && n < range.min) || (range.above !== undefined && n <= range.above) || (range.max !== undefined && n > range.max)) fail(`must be ${what}`);
    return n;
  });
}

/** One of a fixed list of words. */
export function choice<const T extends string>(values: readonly T[]): ValueParser<T> {
  const what = values.join(' | ');
  return parser(what, (value) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) fail(`must be one of ${values.join(', ')}`);
    return value as T;
  }, values);
}

interface TextRules {
  /** What the text is, for messages and help (default "a non-empty text"). */
  readonly what?: string;
  readonly minLength?: number;
  readonly pattern?: RegExp;
}

/** A string, by default non-empty. */
export function text(rules: TextRules = {}): ValueParser<string> {
  const minLength = rules.minLength ?? 1;
  const what = rules.what ?? (minLength > 1 ? `at least ${minLength} characters` : 'a non-empty text');
  return parser(what, (value) => {
    if (typeof value !== 'string') fail(`must be ${what}`);
    if (value.length < minLength) fail(minLength > 1 ? `must be at least ${minLength} characters` : `must be ${what}`);
    if (rules.pattern !== undefined && !rules.pattern.test(value)) fail(`must be ${what}`);
    return value;
  });
}

/** on / off (also true / false, and booleans in a config file). */
export function onOff(): ValueParser<boolean> {
  return parser('on | off', (value) => {
    if (typeof value === 'boolean') return value;
    const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
    if (v === 'on' || v === 'true') return true;
    if (v === 'off' || v === 'false') return false;
    return fail('must be on or off');
  });
}

/** The inner parser, or null (written `null` in a config file; a flag cannot unset). */
export function nullable<T>(inner: ValueParser<T>): ValueParser<T | null> {
  return parser(inner.describe, (value) => (value === null ? null : inner(value)), inner.choices);
}

/** Several values (a repeatable flag, or a list in a config file; one string counts as a list of one). */
export function list<T>(inner: ValueParser<T>): ValueParser<T[]> {
  return parser(`${inner.describe}, repeatable`, (value) => {
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => inner(item));
  });
}

/** A comma-separated list of numbers ("1,0.5,0.25", or a list in a config file), each checked by `inner`; `what` names the list in messages. */
export function numberList(inner: ValueParser<number>, what: string): ValueParser<number[]> {
  return parser(what, (value) => {
    const items: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
    if (items.length === 0 || (typeof value === 'string' && value.trim() === '')) fail(`must be ${what}`);
    return items.map((item) => {
      try {
        return inner(typeof item === 'string' ? item.trim() : item);
      } catch (e) {
        if (e instanceof OptionValueError) fail(`must be ${what} (${JSON.stringify(item)} is not ${inner.describe})`);
        throw e;
      }
    });
  });
}
