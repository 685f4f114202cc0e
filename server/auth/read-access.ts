import { adminTokenMatches } from './client-token.ts';
import type { AdminGuessLimiter } from './admin-guess-limiter.ts';

/**
 * Who may read per-client data (`--read-api`): client ids, who is online,
 * each client's examples, loss, accuracy, screening details and distances,
 * anything derived from label histograms. One rule for the JSON API, the
 * dashboard's observer feed and the read-only viewer:
 * - private (the default): a request without the read token or the admin
 *   token is refused 401 on every route that shows per-client data;
 * - public: such a request gets the same routes' public view, aggregates only
 *   (counts, the global model's evaluations), never a per-client field.
 * With either token a request gets the full view in both modes. A token that
 * is presented but wrong is refused in both modes, and counts as a guess in
 * the same per-address limiter as admin-token guesses.
 */
export const READ_API_MODES = ['private', 'public'] as const;
export type ReadApiMode = (typeof READ_API_MODES)[number];

/** What a reader sees: everything, or the aggregates only. */
export type ReadView = 'full' | 'public';

/** How a server is configured to answer reads (`--read-api`, `--read-token`). */
export interface ReadApiSettings {
  /** private: per-client routes answer 401 without a token; public: they answer the public view (aggregates only). */
  readonly mode: ReadApiMode;
  /** Reads per-client data (and nothing else); the admin token reads it too. Null: the admin token only. */
  readonly readToken: string | null;
}

export interface ReadRefusal {
  readonly code: 'unauthenticated' | 'rate_limited';
  readonly message: string;
  /** Seconds to wait, for rate_limited. */
  readonly retryAfterSeconds: number | null;
}

export interface ReadAccessSettings {
  readonly mode: ReadApiMode;
  /** Reads per-client data and can do nothing else; null: only the admin token reads it. */
  readonly readToken: string | null;
  readonly adminToken: string | null;
  /** Failed attempts per remote address, shared with the admin routes (a guess is a guess). */
  readonly guesses: AdminGuessLimiter;
}

export class ReadAccess {
  constructor(private readonly settings: ReadAccessSettings) {}

  get mode(): ReadApiMode {
    return this.settings.mode;
  }

  /** The view `bearer` (null when none was presented) gets from `address`, or why it gets none. */
  decide(bearer: string | null, address: string): { readonly view: ReadView } | ReadRefusal {
    if (bearer === null || bearer === '') {
      if (this.settings.mode === 'public') return { view: 'public' };
      return {
        code: 'unauthenticated',
        message: 'this route shows per-client data: send "Authorization: Bearer <read token>" (or the admin token); the server runs with --read-api private',
        retryAfterSeconds: null,
      };
    }
    const wait = this.settings.guesses.retryAfterSeconds(address);
    if (wait > 0) return { code: 'rate_limited', message: `too many failed token attempts from this address; try again in ${wait} s`, retryAfterSeconds: wait };
    if (this.matches(bearer)) return { view: 'full' };
    this.settings.guesses.failed(address);
    if (this.settings.readToken === null && this.settings.adminToken === null) {
      return { code: 'unauthenticated', message: 'this server has no read or admin token configured, so nobody reads per-client data; start it with --read-token (or --read-api public for aggregates only)', retryAfterSeconds: null };
    }
    return { code: 'unauthenticated', message: 'the read token is not valid', retryAfterSeconds: null };
  }

  private matches(bearer: string): boolean {
    // Both compared every time, so the time taken does not say which token exists.
    const read = this.settings.readToken !== null && adminTokenMatches(this.settings.readToken, bearer);
    const admin = this.settings.adminToken !== null && adminTokenMatches(this.settings.adminToken, bearer);
    return read || admin;
  }
}

export function isReadRefusal(d: { readonly view: ReadView } | ReadRefusal): d is ReadRefusal {
  return 'code' in d;
}
