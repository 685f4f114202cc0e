import type { RequestHandler } from 'express';

/**
 * Headers on every HTTP answer, set before any route runs (a route may
 * replace them: the pages set their own Content-Security-Policy, the model
 * files `Cache-Control: no-cache`): no MIME sniffing, no referrer, no
 * framing, nothing cached (the JSON carries run and client data), and a
 * policy that lets a JSON or error body run nothing if a browser renders it.
 * Over TLS, Strict-Transport-Security tells browsers to keep to https.
 * Written out rather than taken from helmet: these six lines are all of it
 * that applies to a JSON API, and the pages' policies live beside the pages
 * (server/dashboard/content-security-policy.ts).
 */
export function securityHeaders(options: { readonly tls: boolean }): RequestHandler {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'Cache-Control': 'no-store',
    ...(options.tls ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
  return (_req, res, next) => {
    res.set(headers);
    next();
  };
}
