import { FedfuseError } from '../../common/errors/index.ts';
import type { ApiErrorCode } from '../http/index.ts';
import { adminTokenMatches } from '../auth/index.ts';

/**
 * Who may read the dashboard (`--dashboard`):
 * - off: no dashboard, no /join page, no observer namespace;
 * - public: anyone who reaches the port reads it (the default when the server
 *   listens on a loopback address, where only this machine can);
 * - token: the page loads, but its data (observer namespace, /api/observer)
 *   needs a token (the default on any other address).
 * Nothing on the dashboard changes a run: stopping one is POST /api/run/stop
 * with the admin token, as from anywhere else.
 */
export const DASHBOARD_ACCESS_MODES = ['off', 'public', 'token'] as const;
export type DashboardAccessMode = (typeof DASHBOARD_ACCESS_MODES)[number];

export function parseDashboardAccess(value: string): DashboardAccessMode {
  const v = value.trim().toLowerCase();
  if ((DASHBOARD_ACCESS_MODES as readonly string[]).includes(v)) return v as DashboardAccessMode;
  throw new FedfuseError('invalid_argument', `--dashboard must be off, public or token, got "${value}"`);
}

/** The default for a listening address: public on loopback only. */
export function defaultDashboardAccess(host: string): DashboardAccessMode {
  return isLoopbackHost(host) ? 'public' : 'token';
}

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Decides whether a presented bearer token may read the dashboard's data.
 *
 * Seam for the read-token rule (server/auth, docs/security.md): until a
 * separate read token exists, the admin token is the token that reads a
 * `token` dashboard. Replace `tokenMayRead` with the principal check
 * (read or admin token) when it lands; nothing else here changes.
 */
export interface DashboardAccess {
  readonly mode: DashboardAccessMode;
  /** Why `bearer` may not read the dashboard's data, or null when it may. */
  refusal(bearer: string | null): DashboardRefusal | null;
}

export interface DashboardRefusal {
  readonly code: Extract<ApiErrorCode, 'not_found' | 'unauthenticated'>;
  readonly message: string;
}

export function createDashboardAccess(mode: DashboardAccessMode, adminToken: string | null): DashboardAccess {
  const tokenMayRead = (bearer: string): boolean => adminToken !== null && adminTokenMatches(adminToken, bearer);
  return {
    mode,
    refusal(bearer) {
      if (mode === 'off') return { code: 'not_found', message: 'the dashboard is off (--dashboard off)' };
      if (mode === 'public') return null;
      if (adminToken === null) {
        return { code: 'unauthenticated', message: 'this dashboard needs a token but the server has none configured; start it with an admin token or --dashboard public' };
      }
      if (bearer === null || bearer === '') return { code: 'unauthenticated', message: 'this dashboard needs the token: paste it into the page' };
      if (!tokenMayRead(bearer)) return { code: 'unauthenticated', message: 'the dashboard token is not valid' };
      return null;
    },
  };
}
