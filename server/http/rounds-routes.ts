import { Router } from 'express';
import type { ReadAccess } from '../auth/index.ts';
import type { AsyncRoundStore, RoundRecord } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import type { LiveStatus } from './live-status.ts';
import { publicRoundDetailView, publicRoundSummaryView, publicRunView } from './public-views.ts';
import { readViewOf } from './read-view.ts';
import { parseRoundParam } from './round-param.ts';
import { selectRun } from './run-selection.ts';
import { evaluationsByRound, roundDetailView, roundSummaryView, runView, type EvaluationView, type RoundSummaryView, type RunView } from './round-views.ts';

export interface RoundListView {
  readonly runId: string;
  /** Evaluations of the initial model (global model 0), which has no round of its own. */
  readonly initialEvaluations: readonly EvaluationView[];
  readonly rounds: readonly RoundSummaryView[];
}

export interface RunListView {
  /** Newest first. */
  readonly runs: readonly RunView[];
}

/**
 * GET /api/runs, GET /api/rounds and GET /api/rounds/:n (a number or
 * 'latest', the newest round whatever its state), of the current run or of
 * `?run=ID`. Round 0 is the initial model and has no round record: 404.
 * Each may name clients (a round's updates, sampled clients and metrics; a
 * failure reason listing screened-out clients): the read rule applies
 * (server/auth/read-access.ts), and the public view leaves those fields out.
 */
export function roundsRoutes(store: AsyncRoundStore, liveStatus: () => LiveStatus, access: ReadAccess): Router {
  const router = Router();

  router.get('/api/runs', async (req, res) => {
    const view = readViewOf(access, req, res);
    const runs = (await store.listRuns()).map(runView);
    const body: RunListView = { runs: view === 'full' ? runs : runs.map(publicRunView) };
    res.set('X-Fedfuse-View', view);
    res.json(body);
  });

  router.get('/api/rounds', async (req, res) => {
    const view = readViewOf(access, req, res);
    const run = await selectRun(store, liveStatus(), req.query);
    const evaluations = evaluationsByRound(await store.listEvaluations(run.id));
    const records = await store.listRounds(run.id);
    const counts = await Promise.all(records.map((r) => store.countUpdates(run.id, r.round)));
    const rounds = records.map((r, i) => roundSummaryView(r, counts[i]!, evaluations.get(r.round) ?? []));
    const body: RoundListView = {
      runId: run.id,
      initialEvaluations: evaluations.get(0) ?? [],
      rounds: view === 'full' ? rounds : rounds.map(publicRoundSummaryView),
    };
    res.set('X-Fedfuse-View', view);
    res.json(body);
  });

  router.get('/api/rounds/:n', async (req, res) => {
    const view = readViewOf(access, req, res);
    const selector = parseRoundParam(req.params.n);
    const run = await selectRun(store, liveStatus(), req.query);
    let round: RoundRecord | undefined;
    if (selector === 'latest') round = (await store.listRounds(run.id)).at(-1);
    else round = await store.getRound(run.id, selector);
    if (round === undefined) {
      throw new ApiError('not_found', missingRoundMessage(run.id, selector));
    }
    const evaluations = evaluationsByRound(await store.listEvaluations(run.id)).get(round.round) ?? [];
    const detail = roundDetailView(round, await store.listUpdates(run.id, round.round), evaluations, await store.listRoundFailures(run.id));
    res.set('X-Fedfuse-View', view);
    res.json(view === 'full' ? detail : publicRoundDetailView(detail));
  });

  return router;
}

function missingRoundMessage(runId: string, selector: number | 'latest'): string {
  if (selector === 'latest') return `run "${runId}" has no rounds yet`;
  if (selector === 0) return `run "${runId}" has no round 0: 0 is the initial model (GET /api/rounds/0/model/model.json)`;
  return `run "${runId}" has no round ${selector}`;
}
