/**
 * The dashboard (`/`) and the browser client's page (`/join`): access rule,
 * page and asset routes, the routes only these pages need, and the client
 * activity the observer namespace (server/transport/observer-namespace.ts)
 * reports. The composition root (server/app.ts) wires them.
 */
export { ClientActivityTracker } from './client-activity.ts';
export { createDashboardAccess, isDashboardRefusal, isLoopbackHost, DASHBOARD_ACCESS_MODES, type DashboardAccess, type DashboardAccessMode, type DashboardRefusal } from './dashboard-access.ts';
export { dashboardApiRoutes, bearerOf, type DashboardApiDeps } from './dashboard-api-routes.ts';
export { pageRoutes } from './page-routes.ts';
export { DASHBOARD_CSP, JOIN_CSP } from './content-security-policy.ts';
export { defaultWebAssets, missingBuild, type WebAssets } from './web-assets.ts';
export { demoPartitionNpy, parseDemoPartRequest, type DemoDataSettings, type DemoPartRequest } from './demo-partition.ts';
