import express, { Router, type Response } from 'express';
import path from 'node:path';
import { FedfuseError } from '../../common/errors/index.ts';
import { ApiError } from '../http/index.ts';
import { DASHBOARD_CSP, JOIN_CSP, setPageHeaders } from './content-security-policy.ts';
import type { DashboardAccessMode } from './dashboard-access.ts';
import { missingBuild, type WebAssets } from './web-assets.ts';

/** The files a browser may fetch from dist/web/, by URL under /assets/. */
const ASSETS = new Set(['dashboard.js', 'join.js', 'style.css', 'join.js.LEGAL.txt']);
/** The wasm backend's binaries (the threaded one needs cross-origin isolation, which these pages do not ask for). */
const WASM_FILES = new Set(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']);

/**
 * GET / (the dashboard), GET /join (the browser client), their scripts and
 * stylesheet under /assets/, and the wasm files under /join/wasm/. The pages
 * themselves hold no data (a `token` dashboard loads and then asks for its
 * token), so they are served in every mode but `off`, where these routes do
 * not exist (JSON 404, as before the dashboard).
 */
export function pageRoutes(mode: DashboardAccessMode, assets: WebAssets): Router {
  const router = Router();
  if (mode === 'off') return router;
  const notBuilt = missingBuild(assets);
  const page = (file: string, csp: string) => (_req: unknown, res: Response) => {
    if (notBuilt !== null) throw new FedfuseError('unavailable', notBuilt);
    setPageHeaders(res, csp);
    res.set('Cache-Control', 'no-cache');
    res.sendFile(path.join(assets.pagesDir, file));
  };
  router.get('/', page('dashboard.html', DASHBOARD_CSP));
  router.get('/join', page('join.html', JOIN_CSP));

  router.get('/assets/:file', (req, res, next) => {
    const file = req.params['file'] ?? '';
    if (!ASSETS.has(file)) return next(new ApiError('not_found', `no asset ${file}`));
    if (notBuilt !== null) throw new FedfuseError('unavailable', notBuilt);
    setPageHeaders(res, file.startsWith('join') ? JOIN_CSP : DASHBOARD_CSP);
    res.set('Cache-Control', 'no-cache');
    res.sendFile(path.join(assets.pagesDir, file));
  });

  const wasm = express.static(assets.wasmDir, { index: false, fallthrough: false, setHeaders: (res) => setPageHeaders(res, JOIN_CSP) });
  router.get('/join/wasm/:file', (req, res, next) => {
    const file = req.params['file'] ?? '';
    if (!WASM_FILES.has(file)) return next(new ApiError('not_found', `no wasm file ${file}`));
    res.type('application/wasm');
    req.url = `/${file}`;
    wasm(req, res, next);
  });
  return router;
}
