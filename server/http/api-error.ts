import { FedfuseError, type ErrorCode } from '../../common/errors/index.ts';

/**
 * The codes an HTTP error body can carry: every FedfuseError code, plus two
 * that only exist over HTTP (a missing resource, a route disabled by
 * configuration, too many failed admin attempts), which a socket.io client never sees.
 */
export type HttpOnlyErrorCode = 'not_found' | 'forbidden' | 'rate_limited';
export type ApiErrorCode = ErrorCode | HttpOnlyErrorCode;

/** The one place error codes become HTTP statuses. A Record so that a new ErrorCode does not compile until mapped. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ApiErrorCode, number>> = {
  invalid_argument: 400,
  bad_message: 400,
  shape_mismatch: 400,
  non_finite: 400,
  wrong_round: 409,
  unauthenticated: 401,
  forbidden: 403,
  not_sampled: 403,
  not_found: 404,
  rate_limited: 429,
  unknown_client: 404,
  duplicate: 409,
  too_large: 413,
  unavailable: 503,
  internal: 500,
};

/** An HTTP-only failure; everything else is a FedfuseError. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: HttpOnlyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What every error response carries: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string };
}

export function errorBody(code: ApiErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

export function isApiErrorLike(e: unknown): e is ApiError | FedfuseError {
  return e instanceof ApiError || e instanceof FedfuseError;
}
