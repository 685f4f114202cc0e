import { Router } from 'express';
import type { ReadAccess } from '../auth/index.ts';
import type { AsyncRoundStore } from '../store/index.ts';
import type { LiveStatus } from './live-status.ts';
import { publicStatusView } from './public-views.ts';
import { readViewOf } from './read-view.ts';
import { currentRun } from './run-selection.ts';
import { runView, type RunView } from './round-views.ts';

export interface StatusView extends LiveStatus {
  /** The stored record of the live run (or of the newest run when none is live); null when the store has no run. */
  readonly run: RunView | null;
}

/**
 * GET /api/status: the orchestrator's live view joined with the run's stored
 * record. It names the connected and sampled clients: the read rule applies
 * (public view: counts instead of ids).
 */
export function statusRoute(store: AsyncRoundStore, liveStatus: () => LiveStatus, access: ReadAccess): Router {
  const router = Router();
  router.get('/api/status', async (req, res) => {
    const view = readViewOf(access, req, res);
    const live = liveStatus();
    const run = await currentRun(store, live);
    const body: StatusView = { ...live, run: run === undefined ? null : runView(run) };
    res.set('X-Fedfuse-View', view);
    res.json(view === 'full' ? body : publicStatusView(body));
  });
  return router;
}
