import { Router, type Response } from 'express';
import type * as tf from '@tensorflow/tfjs';
import type { LayersModelFiles } from '../../common/model/index.ts';
import type { AsyncRoundStore, RunRecord } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import { loadGlobalModelFiles, type GlobalModelFilesCache, type RoundModelKind } from './global-model-files.ts';
import type { LiveStatus } from './live-status.ts';
import { parseRoundParam, type RoundSelector } from './round-param.ts';
import { selectRun } from './run-selection.ts';

/**
 * GET /api/rounds/:n/model/model.json and .../weights.bin: global model n
 * (0 = the initial model, 'latest' = the newest stored) in the standard TF.js
 * Layers format, the model round n served (evaluated and broadcast);
 * GET /api/rounds/:n/training-model/... the same for the model round n + 1's
 * clients start from (the served one, unless the aggregator keeps a separate
 * training model). So that the stock
 * `tf.loadLayersModel('http://host/api/rounds/3/model/model.json')` loads it:
 * tfjs fetches the manifest's relative path 'weights.bin' next to model.json
 * (keeping any `?run=ID`).
 *
 * Every manifest, `latest`'s too, names its weights 'weights.bin' beside it,
 * so a downloaded model.json + weights.bin pair loads as it is (`latest` used
 * to point at '../../3/model/weights.bin', which a copy on disk lacks). A round
 * completing between the two fetches of `latest` gives the next round's
 * weights, which fit the same topology: every round of a run has one model
 * spec. To pin a round, fetch it by number (the response header
 * `X-Fedfuse-Round` says which round `latest` was).
 */
export function modelRoutes(store: AsyncRoundStore, liveStatus: () => LiveStatus, cache: GlobalModelFilesCache): Router {
  const router = Router();

  const resolve = async (selector: RoundSelector, query: Record<string, unknown>, kind: RoundModelKind): Promise<{ run: RunRecord; round: number; files: LayersModelFiles }> => {
    const run = await selectRun(store, liveStatus(), query);
    // currentRound is "the last round whose global model is stored".
    const round = selector === 'latest' ? run.currentRound : selector;
    const files = await cache.get(run.id, round, () => loadGlobalModelFiles(store, run.id, round, kind), kind);
    if (files === undefined) throw new ApiError('not_found', `run "${run.id}" has no global model for round ${round}`);
    return { run, round, files };
  };

  for (const [segment, kind] of ROUTE_SEGMENTS) {
    router.get(`/api/rounds/:n/${segment}/model.json`, async (req, res) => {
      const selector = parseRoundParam(req.params.n);
      const { round, files } = await resolve(selector, req.query, kind);
      revalidateEachTime(res);
      res.set('X-Fedfuse-Round', String(round));
      res.json(files.modelJson);
    });

    router.get(`/api/rounds/:n/${segment}/weights.bin`, async (req, res) => {
      const { round, files } = await resolve(parseRoundParam(req.params.n), req.query, kind);
      const { weightData } = files;
      revalidateEachTime(res);
      res.set('X-Fedfuse-Round', String(round));
      res.type('application/octet-stream').send(Buffer.from(weightData.buffer, weightData.byteOffset, weightData.byteLength));
    });
  }

  return router;
}

/** The URL segment of each kind of round model. */
const ROUTE_SEGMENTS: ReadonlyArray<readonly [string, RoundModelKind]> = [
  ['model', 'served'],
  ['training-model', 'training'],
];

/**
 * Without ?run, /api/rounds/3/... names round 3 of whichever run is current,
 * which changes when a new run starts: caches must revalidate (the ETag makes
 * that a 304 when nothing changed).
 */
function revalidateEachTime(res: Response): void {
  res.set('Cache-Control', 'no-cache');
}
