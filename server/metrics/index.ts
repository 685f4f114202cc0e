/** Prometheus metrics of the round server; GET /metrics (server/http) serves their registry. */
export * from './server-metrics.ts';
