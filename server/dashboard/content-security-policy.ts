import type { Response } from 'express';

/**
 * The pages' Content-Security-Policy: everything from this server and
 * nothing else, no inline script or style, no eval, no framing. The join
 * page alone may compile WebAssembly (TF.js's wasm backend; 'wasm-unsafe-eval'
 * permits WebAssembly.instantiate and nothing else); connect-src 'self'
 * covers the same-origin WebSocket.
 */
const COMMON = ["default-src 'none'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"];

export const DASHBOARD_CSP = [...COMMON, "script-src 'self'"].join('; ');
export const JOIN_CSP = [...COMMON, "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'"].join('; ');

/** Headers for every page and asset: the policy, no MIME sniffing, no referrer, no framing by older browsers. */
export function setPageHeaders(res: Response, csp: string): void {
  res.set({
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
}
