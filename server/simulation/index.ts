/**
 * `fedfuse simulate` / `fedfuse compare`: federated experiments on one
 * machine through the real server and real clients.
 * - Options: simulation-options.ts (defaults = the default experiment), aggregator-variant.ts (the arms).
 * - Data: simulation-data.ts (load, carve calibration/test, partition among clients).
 * - Clients: client-thread-pool.ts (main side) and client-thread-worker.ts
 *   (worker threads, each hosting FedfuseClients with their own socket.io connections).
 * - One arm: run-aggregator.ts (a fresh createFedfuseServer on port 0 over the shared store).
 * - Everything: run-simulation.ts; results read back from SQLite in simulation-results.ts;
 *   results-table.ts (terminal), accuracy-plot.ts (vega-lite -> SVG -> PNG), progress-reporters.ts.
 * - canonical-parent-order.ts: fusion inputs in a content-fixed order, so arrival order cannot change the numbers.
 */
export * from './aggregator-variant.ts';
export * from './simulation-options.ts';
export * from './simulation-data.ts';
export * from './simulation-events.ts';
export * from './simulation-results.ts';
export * from './canonical-parent-order.ts';
export * from './client-thread-protocol.ts';
export * from './client-thread-pool.ts';
export * from './run-aggregator.ts';
export * from './run-simulation.ts';
export * from './results-table.ts';
export * from './accuracy-plot.ts';
export * from './progress-reporters.ts';
export * from './seed-summary.ts';
export * from './results-csv.ts';
export * from './plot-series.ts';
export * from './run-seed-pass.ts';
