import { Router, type Response } from 'express';
import type * as tf from '@tensorflow/tfjs';
import type { LayersModelFiles } from '../../common/model/index.ts';
import type { RoundStore, RunRecord } from '../store/index.ts';
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
 * `latest` is resolved once, by model.json: its manifest points at the
 * numbered round's weights ('../../3/model/weights.bin'), so a round that
 * completes between the two fetches cannot pair one round's topology with the
 * next round's weights.
 */
export function modelRoutes(store: RoundStore, liveStatus: () => LiveStatus, cache: GlobalModelFilesCache): Router {
  const router = Router();

  const resolve = (selector: RoundSelector, query: Record<string, unknown>, kind: RoundModelKind): { run: RunRecord; round: number; files: LayersModelFiles } => {
    const run = selectRun(store, liveStatus(), query);
    // currentRound is "the last round whose global model is stored".
    const round = selector === 'latest' ? run.currentRound : selector;
    const files = cache.get(run.id, round, () => loadGlobalModelFiles(store, run.id, round, kind), kind);
    if (files === undefined) throw new ApiError('not_found', `run "${run.id}" has no global model for round ${round}`);
    return { run, round, files };
  };

  for (const [segment, kind] of ROUTE_SEGMENTS) {
    router.get(`/api/rounds/:n/${segment}/model.json`, (req, res) => {
      const selector = parseRoundParam(req.params.n);
      const { round, files } = resolve(selector, req.query, kind);
      const modelJson = selector === 'latest' ? pinnedToRound(files.modelJson, round, segment) : files.modelJson;
      revalidateEachTime(res);
      res.json(modelJson);
    });

    router.get(`/api/rounds/:n/${segment}/weights.bin`, (req, res) => {
      const { files } = resolve(parseRoundParam(req.params.n), req.query, kind);
      const { weightData } = files;
      revalidateEachTime(res);
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

/** The manifest with each path made relative to .../latest/<segment>/ but naming round `round`'s own files. */
function pinnedToRound(modelJson: tf.io.ModelJSON, round: number, segment: string): tf.io.ModelJSON {
  return {
    ...modelJson,
    weightsManifest: modelJson.weightsManifest.map((group) => ({ ...group, paths: group.paths.map((p) => `../../${round}/${segment}/${p}`) })),
  };
}

/**
 * Without ?run, /api/rounds/3/... names round 3 of whichever run is current,
 * which changes when a new run starts: caches must revalidate (the ETag makes
 * that a 304 when nothing changed).
 */
function revalidateEachTime(res: Response): void {
  res.set('Cache-Control', 'no-cache');
}
