import { isReadRefusal, type ReadAccess, type ReadRefusal, type ReadView } from '../auth/index.ts';

/**
 * Whether the dashboard exists (`--dashboard on|off`). What it shows follows
 * the one read rule of the whole server (`--read-api`, server/auth/read-access.ts):
 * with the read or admin token the full view (each client's state); without
 * one, under `--read-api public`, the public view (counts only), and under
 * `--read-api private` (the default) nothing but the page, which asks for a
 * token. Before the read rule the dashboard had its own `public|token` modes;
 * `public` showed every client id to anyone.
 * Nothing on the dashboard changes a run: stopping one is POST /api/run/stop
 * with the admin token, as from anywhere else.
 */
export const DASHBOARD_ACCESS_MODES = ['on', 'off'] as const;
export type DashboardAccessMode = (typeof DASHBOARD_ACCESS_MODES)[number];

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export interface DashboardRefusal {
  readonly code: 'not_found' | ReadRefusal['code'];
  readonly message: string;
  readonly retryAfterSeconds: number | null;
}

/** Decides what a presented bearer token (null: none) from an address may read of the dashboard's data. */
export interface DashboardAccess {
  readonly mode: DashboardAccessMode;
  decide(bearer: string | null, address: string): { readonly view: ReadView } | DashboardRefusal;
}

export function createDashboardAccess(mode: DashboardAccessMode, read: ReadAccess): DashboardAccess {
  return {
    mode,
    decide(bearer, address) {
      if (mode === 'off') return { code: 'not_found', message: 'the dashboard is off (--dashboard off)', retryAfterSeconds: null };
      const decision = read.decide(bearer, address);
      if (!isReadRefusal(decision)) return decision;
      const message = decision.code === 'unauthenticated' && (bearer === null || bearer === '') ? 'this dashboard shows per-client data and needs the read token (or the admin token): paste it into the page' : decision.message;
      return { ...decision, message };
    },
  };
}

export function isDashboardRefusal(d: { readonly view: ReadView } | DashboardRefusal): d is DashboardRefusal {
  return 'code' in d;
}
