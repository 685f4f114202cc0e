/**
 * The HTTP API of the round server: run and round JSON, global models in the
 * TF.js Layers format, Prometheus metrics, admin commands. createHttpApi is
 * the entry point; the rest is exported for the composition root and tests.
 */
export { createHttpApi, JSON_BODY_LIMIT_BYTES, type HttpApiDeps } from './http-api.ts';
export { LIVE_STATES, type LiveState, type LiveStatus } from './live-status.ts';
export type { HttpApiActions, TokenView } from './admin-routes.ts';
export { ApiError, HTTP_STATUS_BY_CODE, errorBody, type ApiErrorBody, type ApiErrorCode, type HttpOnlyErrorCode } from './api-error.ts';
export { describeError } from './error-responses.ts';
export { GlobalModelFilesCache, loadGlobalModelFiles } from './global-model-files.ts';
export { parseRoundParam, type RoundSelector } from './round-param.ts';
export { parseTokenRequest, MAX_TOKEN_LIFETIME_SECONDS, type TokenRequest } from './token-request.ts';
export type { HealthView } from './health-route.ts';
export type { StatusView } from './status-route.ts';
export { publicObserverStatus, publicRoundDetailView, publicRoundSummaryView, publicRunView, publicStatusView, WITHHELD_REASON, type PublicRoundDetailView, type PublicStatusView } from './public-views.ts';
export { presentedBearer, readViewOf } from './read-view.ts';
export type { RoundListView, RunListView } from './rounds-routes.ts';
export type { RunView, RoundSummaryView, RoundDetailView, EvaluationView, UpdateView, FailedAttemptView } from './round-views.ts';
export { tokenCheckRoute } from './token-check-route.ts';
