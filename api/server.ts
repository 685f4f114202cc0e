/**
 * `fedfuse/server`: the aggregation server as a library. createFedfuseServer
 * is the composition root (store + fusion executor + settings -> socket.io +
 * HTTP API on one http.Server); `listen(0)` returns the bound URL.
 */
export { createFedfuseServer } from '../server/app.ts';
export type { DashboardSettings, FedfuseServer, ReadApiSettings, ServerComponents, ServerSettings } from '../server/app.ts';
export { DEFAULT_RUN_SETTINGS, type RunSettings, type Strategy, type OrchestratorEvent } from '../server/rounds/index.ts';
export { createInProcessFusionExecutor, createWorkerFusionExecutor, type FusionExecutor, type FusionStrategyOptions, type ServerDataSets } from '../server/aggregation/index.ts';
export { openStore, type AsyncRoundStore, type StoreOptions, type StoreBackend, type RoundStoreOptions, type GroupCommitOptions, type PostgresStoreOptions } from '../server/store/index.ts';
export { mintClientToken } from '../server/auth/index.ts';
export { initBackend, type BackendName, type BackendPreference } from '../common/backend/index.ts';
export { FedfuseError, isFedfuseError, ERROR_CODES, type ErrorCode } from '../common/errors/index.ts';
