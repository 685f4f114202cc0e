import { Router, type Request } from 'express';
import { FedfuseError } from '../../common/errors/index.ts';
import type { ObserverStatus } from '../../common/events/observer-events.ts';
import { layerWidths, type ModelSpec } from '../../common/model/spec.ts';
import { ApiError, presentedBearer } from '../http/index.ts';
import type { RunRecord } from '../store/index.ts';
import type { ReadView } from '../auth/index.ts';
import { isDashboardRefusal, type DashboardAccess } from './dashboard-access.ts';
import { demoPartitionNpy, parseDemoPartRequest, type DemoDataSettings } from './demo-partition.ts';

export interface DashboardApiDeps {
  readonly access: DashboardAccess;
  /** The status in the view a reader gets (the full one, or the public one without the client list). */
  readonly observerStatus: (view: ReadView) => ObserverStatus;
  /** The run a joining client would join (the live one, else the newest). */
  readonly currentRun: () => Promise<RunRecord | undefined>;
  /** Null when the run does not train on the embedded digits, with the reason. */
  readonly demo: { readonly settings: DemoDataSettings } | { readonly settings: null; readonly reason: string };
}

/** The presented token, null when none; a malformed Authorization header counts as a (wrong) token, not as none. */
export function bearerOf(req: Request): string | null {
  return presentedBearer(req.get('authorization'));
}

/**
 * GET /api/observer: the observer namespace's status as JSON, for the
 * dashboard's polling fallback (same read rule as the namespace).
 * GET /api/join/info: what a browser client's data must look like (the run's
 * input shape and class count; no per-client data).
 * GET /api/join/demo/images.npy, labels.npy: a demo part of the embedded digits.
 */
export function dashboardApiRoutes(deps: DashboardApiDeps): Router {
  const router = Router();
  if (deps.access.mode === 'off') return router;

  router.get('/api/observer', (req, res) => {
    const decision = deps.access.decide(bearerOf(req), req.socket.remoteAddress ?? 'unknown');
    if (isDashboardRefusal(decision)) {
      if (decision.code === 'not_found') throw new ApiError('not_found', decision.message);
      if (decision.code === 'rate_limited') {
        res.set('Retry-After', String(decision.retryAfterSeconds ?? 60));
        throw new ApiError('rate_limited', decision.message);
      }
      res.set('WWW-Authenticate', 'Bearer realm="fedfuse-read"');
      throw new FedfuseError('unauthenticated', decision.message);
    }
    res.set('Cache-Control', 'no-store');
    res.set('X-Fedfuse-View', decision.view);
    res.json(deps.observerStatus(decision.view));
  });

  router.get('/api/join/info', async (_req, res) => {
    const run = await deps.currentRun();
    if (run === undefined) throw new ApiError('not_found', 'no run has been started yet');
    const spec = run.modelSpec as unknown as ModelSpec;
    res.set('Cache-Control', 'no-store');
    res.json({
      runId: run.id,
      inputShape: spec.inputShape,
      classes: layerWidths(spec).at(-1) ?? 0,
      demo: deps.demo.settings === null ? { available: false, reason: deps.demo.reason } : { available: true, reason: null },
    });
  });

  router.get('/api/join/demo/:file', (req, res) => {
    const file = req.params['file'];
    if (file !== 'images.npy' && file !== 'labels.npy') throw new ApiError('not_found', `no demo file ${String(file)}: images.npy or labels.npy`);
    if (deps.demo.settings === null) throw new ApiError('not_found', deps.demo.reason);
    const part = demoPartitionNpy(deps.demo.settings, parseDemoPartRequest(req.query));
    res.set('Cache-Control', 'no-store');
    res.type('application/octet-stream').send(Buffer.from(file === 'images.npy' ? part.images : part.labels));
  });
  return router;
}
