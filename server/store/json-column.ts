import { FedfuseError } from '../../common/errors/index.ts';

/**
 * What a JSON column gives back. The store never interprets config, model
 * specs or metrics; the caller narrows this at its own boundary.
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * Serialises a value for a JSON column. Write-side parameters are typed
 * `unknown` rather than `JsonValue` because TypeScript interfaces (ModelSpec,
 * a metrics interface) are not assignable to an index-signature type; the
 * check happens here instead. Non-finite numbers are refused: JSON.stringify
 * would silently turn a NaN timing into `null`.
 */
export function encodeJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        throw new FedfuseError('invalid_argument', `${what}: non-finite number ${v} at key "${key}"`);
      }
      return v;
    });
  } catch (e) {
    if (e instanceof FedfuseError) throw e;
    // Cycles and BigInt make JSON.stringify throw a TypeError.
    throw new FedfuseError('invalid_argument', `${what} is not serialisable as JSON: ${(e as Error).message}`, { cause: e });
  }
  if (text === undefined) {
    throw new FedfuseError('invalid_argument', `${what} is not a JSON value (got ${typeof value})`);
  }
  return text;
}

/** The stored text was checked by `json_valid` when written, so parsing cannot fail short of corruption. */
export function decodeJson(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}

export function decodeNullableJson(text: string | null): JsonValue | null {
  return text === null ? null : decodeJson(text);
}
