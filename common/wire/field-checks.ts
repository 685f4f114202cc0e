import { FedfuseError } from '../errors/index.ts';

/**
 * Checks on individual fields at the boundary. proto3 cannot tell an absent
 * field from its default (0, "", empty), so "required" is our convention,
 * enforced here on decode (bad_message). On encode, the checks catch values
 * protobufjs would otherwise wrap silently (a round of -1 becomes 4294967295).
 */

/** A sub-message that must be there. */
export function requirePresent<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new FedfuseError('bad_message', `${what} is missing`);
  return value;
}

/** A lone UTF-16 surrogate: what protobufjs's lenient UTF-8 decoder makes of some invalid byte sequences. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A string field ("" when absent) that is a well-formed Unicode string.
 * protobufjs does not reject invalid UTF-8; most garbage decodes to some
 * character, but lone surrogates would re-encode differently, break logs and
 * storage, so they are refused.
 */
export function wellFormedString(value: string | null | undefined, what: string): string {
  const s = value ?? '';
  if (LONE_SURROGATE.test(s)) throw new FedfuseError('bad_message', `${what} is not valid UTF-8`);
  return s;
}

/** An identifier (run id, client id) that must not be empty. */
export function requireNonEmpty(value: string | null | undefined, what: string): string {
  const s = wellFormedString(value, what);
  if (s === '') throw new FedfuseError('bad_message', `${what} is missing`);
  return s;
}

/** Exactly one case of a oneof is set; returns its name. Several set is ambiguous (other protobuf runtimes keep the last, protobufjs the first), so it is refused. */
export function singleOneofCase<K extends string>(message: Readonly<Partial<Record<K, unknown>>>, cases: readonly K[], what: string): K {
  const present = cases.filter((c) => message[c] !== null && message[c] !== undefined);
  if (present.length === 0) throw new FedfuseError('bad_message', `${what} is empty`);
  if (present.length > 1) throw new FedfuseError('bad_message', `${what} has several cases set (${present.join(', ')})`);
  return present[0]!;
}

/** How protobufjs hands out 64-bit integers when the `long` package is installed. */
export interface LongBits {
  readonly low: number;
  readonly high: number;
}

/** A uint64 as a JS number, refused (bad_message) beyond 2^53 - 1 where it would lose precision. */
export function uint64ToSafeNumber(value: number | LongBits | null | undefined, what: string): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  const high = value.high >>> 0;
  if (high >= 2 ** 21) throw new FedfuseError('bad_message', `${what} exceeds 2^53`);
  return high * 2 ** 32 + (value.low >>> 0);
}

export function checkUint32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new FedfuseError('invalid_argument', `${what} must be an integer in [0, 2^32), got ${value}`);
  }
  return value;
}

export function checkSafeUint(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new FedfuseError('invalid_argument', `${what} must be a non-negative safe integer, got ${value}`);
  }
  return value;
}

/** A double that must be finite (non_finite otherwise) and at least `min` (invalid_argument). */
export function requireFiniteAtLeast(value: number | null | undefined, min: number, what: string): number {
  const v = value ?? 0;
  if (!Number.isFinite(v)) throw new FedfuseError('non_finite', `${what} is ${v}`);
  if (v < min) throw new FedfuseError('invalid_argument', `${what} must be >= ${min}, got ${v}`);
  return v;
}
