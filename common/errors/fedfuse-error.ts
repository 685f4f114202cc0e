/**
 * The one error type that crosses boundaries (wire, CLI, HTTP). Its codes are
 * the `ErrorCode` enum of proto/fedfuse.proto, so a client sees exactly what the
 * server decided, and tests can assert on the code instead of message text.
 */
export const ERROR_CODES = [
  'bad_message',
  'unauthenticated',
  'wrong_round',
  'shape_mismatch',
  'non_finite',
  'too_large',
  'duplicate',
  'not_sampled',
  'unknown_client',
  'invalid_argument',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class FedfuseError extends Error {
  override readonly name = 'FedfuseError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isFedfuseError(e: unknown, code?: ErrorCode): e is FedfuseError {
  return e instanceof FedfuseError && (code === undefined || e.code === code);
}

export function isErrorCode(s: string): s is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(s);
}
