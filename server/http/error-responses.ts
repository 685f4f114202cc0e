import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError, HTTP_STATUS_BY_CODE, errorBody, isApiErrorLike, type ApiErrorCode } from './api-error.ts';

/**
 * Express, body-parser and the router raise http-errors objects (`status`,
 * `type`, `expose`): a malformed JSON body, a body over the limit, an
 * undecodable %-escape in a path. They become our codes here, so the client
 * gets the same JSON shape whoever failed.
 */
interface HttpErrorLike {
  readonly status: number;
  readonly type?: unknown;
  readonly expose?: unknown;
  readonly message: string;
}

function isHttpErrorLike(e: unknown): e is HttpErrorLike {
  return e instanceof Error && typeof (e as { status?: unknown }).status === 'number';
}

function codeOfHttpError(e: HttpErrorLike): ApiErrorCode {
  if (e.type === 'entity.too.large' || e.status === 413) return 'too_large';
  if (e.status === 404) return 'not_found';
  if (e.status >= 400 && e.status < 500) return 'bad_message';
  return 'internal';
}

function describeHttpError(e: HttpErrorLike, code: ApiErrorCode): string {
  if (e.type === 'entity.parse.failed') return `request body is not valid JSON: ${e.message}`;
  if (code === 'too_large') return `request body is too large: ${e.message}`;
  // http-errors marks client errors `expose`; server errors keep their message private.
  return e.expose === true ? e.message : 'internal error';
}

/** Resolves any thrown value to a code and a message fit for the client. */
export function describeError(e: unknown): { code: ApiErrorCode; message: string } {
  if (isApiErrorLike(e)) return { code: e.code, message: e.message };
  if (isHttpErrorLike(e)) {
    const code = codeOfHttpError(e);
    return { code, message: describeHttpError(e, code) };
  }
  return { code: 'internal', message: 'internal error' };
}

/**
 * The last handler: every error becomes `{ error: { code, message } }` with
 * the status of its code, never express's HTML page or a stack trace.
 * Errors we did not raise on purpose (code 'internal' from a non-FedfuseError)
 * are logged with their stack, since the client only sees 'internal error'.
 */
export function jsonErrorHandler(log: (line: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const { code, message } = describeError(err);
    if (code === 'internal' && !isApiErrorLike(err)) {
      log(`fedfuse http: ${req.method} ${req.originalUrl} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    // Headers already out (a response streaming when it failed): let express close the connection.
    if (res.headersSent) return next(err);
    res.status(HTTP_STATUS_BY_CODE[code]).json(errorBody(code, message));
  };
}

/** Any request no route answered. */
export const jsonNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `no route for ${req.method} ${req.path}`));
};
