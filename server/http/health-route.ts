import { Router } from 'express';

export interface HealthView {
  readonly status: 'ok';
  readonly version: string;
  readonly uptimeSeconds: number;
}

/** GET /api/health: answers as long as the process serves HTTP; for liveness probes, so it touches no store. */
export function healthRoute(version: string): Router {
  const router = Router();
  router.get('/api/health', (_req, res) => {
    const body: HealthView = { status: 'ok', version, uptimeSeconds: process.uptime() };
    res.json(body);
  });
  return router;
}
