import { FedfuseError } from '../../common/errors/index.ts';
import { OptionValueError, type ValueParser } from './option-values.ts';

/**
 * One option declared once. A table of these (keyed by the option's name in
 * camelCase) generates the command-line flags (`--kebab-case` of the key), the
 * config-file keys (the key itself), the help text and the checks, so a flag,
 * its config key and its default cannot drift apart.
 */
export interface OptionSpec<T> {
  /** Placeholder of the flag's value: `n` gives `--rounds <n>`. */
  readonly arg: string;
  /** The value when nothing sets it; `undefined` = required (see `missing`). */
  readonly default: T | undefined;
  /** Unit of the value as written in flags and files (e.g. `seconds`), for help and docs. */
  readonly unit?: string;
  readonly parse: ValueParser<T>;
  /** What the option does, for `--help` and the README. */
  readonly doc: string;
  /** Environment variable that sets the value when no flag or config key does (flags > file > env > default). */
  readonly env?: string;
  /** Older config-file keys still accepted, with a deprecation line. */
  readonly deprecatedKeys?: readonly string[];
  /** The message when a required option has no value. */
  readonly missing?: string;
  /** Never echo the value in messages (secrets). */
  readonly secret?: boolean;
  /** How `--help` shows the default when the value itself would mislead (e.g. `$FEDFUSE_SECRET`). */
  readonly defaultText?: string;
  /** The flag may be given several times; its values are collected into a list (the parser gets the list). */
  readonly repeatable?: boolean;
  /**
   * A setting of this server process, free to change between restarts of one
   * run (where to listen, timeouts, logs). Every other option defines the run:
   * it is recorded with the run, and a restart that contradicts it is refused
   * (run-selection.ts).
   */
  readonly perProcess?: boolean;
}

/** Declares one option (a function only so TypeScript infers the value type from the parser). */
export function option<T>(spec: Omit<OptionSpec<T>, 'default'> & { readonly default: NoInfer<T> | undefined }): OptionSpec<T> {
  return spec;
}

// The table's entries differ in value type; `any` here is what lets one table hold them all.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OptionTable = Readonly<Record<string, OptionSpec<any>>>;

/** The typed values a table resolves to. */
export type OptionValues<T extends OptionTable> = { -readonly [K in keyof T]: T[K] extends OptionSpec<infer V> ? V : never };

/** `calibrationSize` -> `--calibration-size`. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The help line of an option: what it does, its choices, its default and unit. */
export function helpOf(spec: OptionSpec<unknown>): string {
  const choices = spec.parse.choices === undefined ? '' : `: ${spec.parse.choices.join(' | ')}`;
  const d = spec.default;
  const shown = spec.defaultText ?? (d === undefined ? 'required' : d === null ? 'none' : typeof d === 'boolean' ? (d ? 'on' : 'off') : String(d));
  const unit = spec.unit !== undefined && spec.defaultText === undefined && spec.default !== undefined && spec.default !== null ? ` ${spec.unit}` : '';
  const env = spec.env !== undefined && spec.defaultText === undefined ? `; env ${spec.env}` : '';
  return `${spec.doc}${choices} (default ${shown}${unit}${env})`;
}

/** Values from one place, and how a message names an option from there (`--lr`, `config file a.yaml: lr`). */
export interface OptionLayer {
  readonly values: Readonly<Record<string, unknown>>;
  readonly nameOf: (key: string) => string;
}

export const flagLayer = (values: Readonly<Record<string, unknown>>): OptionLayer => ({ values, nameOf: flagOf });
export const objectLayer = (values: Readonly<Record<string, unknown>>): OptionLayer => ({ values, nameOf: (key) => `option ${key}` });

/**
 * Every option's value: the last layer that sets it wins (pass the file before
 * the flags), then its environment variable, then its default. Each value is
 * parsed where it came from, so a wrong one is a single `invalid_argument` line
 * naming its flag, config key or variable. Unknown keys are refused.
 */
export function resolveOptions<T extends OptionTable>(table: T, layers: readonly OptionLayer[], env: NodeJS.ProcessEnv = process.env): OptionValues<T> {
  for (const layer of layers) {
    for (const key of Object.keys(layer.values)) {
      if (!Object.hasOwn(table, key)) throw new FedfuseError('invalid_argument', `${layer.nameOf(key)}: unknown option (known: ${Object.keys(table).join(', ')})`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const layer = [...layers].reverse().find((l) => l.values[key] !== undefined);
    if (layer !== undefined) {
      out[key] = parseAt(spec, layer.values[key], layer.nameOf(key));
    } else if (spec.env !== undefined && env[spec.env] !== undefined && env[spec.env] !== '') {
      out[key] = parseAt(spec, env[spec.env], `$${spec.env}`);
    } else if (spec.default !== undefined) {
      out[key] = spec.default;
    } else {
      throw new FedfuseError('invalid_argument', spec.missing ?? `${flagOf(key)} is required`);
    }
  }
  return out as OptionValues<T>;
}

function parseAt<T>(spec: OptionSpec<T>, value: unknown, name: string): T {
  try {
    return spec.parse(value);
  } catch (e) {
    if (!(e instanceof OptionValueError)) throw e;
    throw new FedfuseError('invalid_argument', `${name}: ${e.message}${spec.secret === true ? '' : `, got ${JSON.stringify(value)}`}`);
  }
}

/**
 * The keys of a config file's mapping onto the table: deprecated keys renamed
 * (one `warn` line each), unknown ones refused with the known ones listed.
 */
export function configFileLayer(table: OptionTable, file: string, mapping: Readonly<Record<string, unknown>>, warn: (line: string) => void): OptionLayer {
  const renamed = new Map<string, string>();
  for (const [key, spec] of Object.entries(table)) for (const old of spec.deprecatedKeys ?? []) renamed.set(old, key);
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(mapping)) {
    const current = renamed.get(key);
    if (current !== undefined) {
      if (Object.hasOwn(mapping, current)) throw new FedfuseError('invalid_argument', `config file ${file}: "${key}" and "${current}" are the same option; keep "${current}"`);
      warn(`config file ${file}: "${key}" is deprecated, write "${current}" (the camelCase of ${flagOf(current)})`);
      values[current] = value;
    } else if (Object.hasOwn(table, key)) {
      values[key] = value;
    } else {
      throw new FedfuseError('invalid_argument', `config file ${file}: unknown option "${key}" (known: ${Object.keys(table).join(', ')})`);
    }
  }
  return { values, nameOf: (key) => `config file ${file}: ${key}` };
}
