import { Router } from 'express';
import type { RoundStore } from '../store/index.ts';
import type { LiveStatus } from './live-status.ts';
import { currentRun } from './run-selection.ts';
import { runView, type RunView } from './round-views.ts';

export interface StatusView extends LiveStatus {
  /** The stored record of the live run (or of the newest run when none is live); null when the store has no run. */
  readonly run: RunView | null;
}

/** GET /api/status: the orchestrator's live view joined with the run's stored record. */
export function statusRoute(store: RoundStore, liveStatus: () => LiveStatus): Router {
  const router = Router();
  router.get('/api/status', (_req, res) => {
    const live = liveStatus();
    const run = currentRun(store, live);
    const body: StatusView = { ...live, run: run === undefined ? null : runView(run) };
    res.json(body);
  });
  return router;
}
