import { FedfuseError } from '../../common/errors/index.ts';

/**
 * Checks on what callers hand the store, so a bad value is an
 * 'invalid_argument' naming the field instead of a SQLite constraint error.
 * The schema's CHECKs stay as the last line of defence.
 */

function invalid(message: string): FedfuseError {
  return new FedfuseError('invalid_argument', message);
}

export function checkId(value: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${what} must be a non-empty string`);
  return value;
}

export function checkNonNegativeInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(`${what} must be a non-negative integer, got ${value}`);
  return value;
}

export function checkPositiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw invalid(`${what} must be a positive integer, got ${value}`);
  return value;
}

/** Unix milliseconds. */
export function checkTime(value: number, what: string): number {
  return checkNonNegativeInteger(value, what);
}

export function checkFinite(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${what} must be a finite number, got ${value}`);
  return value;
}

export function checkBlob(value: Uint8Array, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalid(`${what} must be a Uint8Array`);
  if (value.byteLength === 0) throw invalid(`${what} must not be empty`);
  return value;
}

export function checkReason(value: string, what: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw invalid(`${what} must be a non-empty string`);
  return value;
}

export function checkDistinctIds(ids: readonly string[], what: string): readonly string[] {
  if (!Array.isArray(ids)) throw invalid(`${what} must be an array of client ids`);
  ids.forEach((id, i) => checkId(id, `${what}[${i}]`));
  if (new Set(ids).size !== ids.length) throw invalid(`${what} contains the same client twice`);
  return ids;
}

export function checkLabelHistogram(histogram: readonly number[], what: string): readonly number[] {
  if (!Array.isArray(histogram)) throw invalid(`${what} must be an array of counts`);
  histogram.forEach((count, i) => checkNonNegativeInteger(count, `${what}[${i}]`));
  return histogram;
}

/** A client id as tokens name it. */
export function checkClientId(value: string, what: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(value)) throw invalid(`${what} must be 1-64 characters of letters, digits, '.', '_' or '-'`);
  return value;
}

/** A token id, or null. */
export function checkTokenId(value: string | null | undefined, what: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(value)) throw invalid(`${what} must be 16-64 base64url characters`);
  return value;
}
