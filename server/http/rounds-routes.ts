import { Router } from 'express';
import type { RoundRecord, RoundStore } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import type { LiveStatus } from './live-status.ts';
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
 */
export function roundsRoutes(store: RoundStore, liveStatus: () => LiveStatus): Router {
  const router = Router();

  router.get('/api/runs', (_req, res) => {
    const body: RunListView = { runs: store.listRuns().map(runView) };
    res.json(body);
  });

  router.get('/api/rounds', (req, res) => {
    const run = selectRun(store, liveStatus(), req.query);
    const evaluations = evaluationsByRound(store.listEvaluations(run.id));
    const body: RoundListView = {
      runId: run.id,
      initialEvaluations: evaluations.get(0) ?? [],
      rounds: store
        .listRounds(run.id)
        .map((r) => roundSummaryView(r, store.countUpdates(run.id, r.round), evaluations.get(r.round) ?? [])),
    };
    res.json(body);
  });

  router.get('/api/rounds/:n', (req, res) => {
    const selector = parseRoundParam(req.params.n);
    const run = selectRun(store, liveStatus(), req.query);
    let round: RoundRecord | undefined;
    if (selector === 'latest') round = store.listRounds(run.id).at(-1);
    else round = store.getRound(run.id, selector);
    if (round === undefined) {
      throw new ApiError('not_found', missingRoundMessage(run.id, selector));
    }
    const evaluations = evaluationsByRound(store.listEvaluations(run.id)).get(round.round) ?? [];
    res.json(roundDetailView(round, store.listUpdates(run.id, round.round), evaluations, store.listRoundFailures(run.id)));
  });

  return router;
}

function missingRoundMessage(runId: string, selector: number | 'latest'): string {
  if (selector === 'latest') return `run "${runId}" has no rounds yet`;
  if (selector === 0) return `run "${runId}" has no round 0: 0 is the initial model (GET /api/rounds/0/model/model.json)`;
  return `run "${runId}" has no round ${selector}`;
}
