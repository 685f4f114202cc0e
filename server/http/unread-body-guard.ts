import type { RequestHandler } from 'express';

/** How long a refused request's connection stays open for its answer to reach the peer. */
const ANSWER_GRACE_MS = 1_000;

/**
 * A request answered before its body was read (a 401 before the admin
 * token's route parses JSON, a 413 over the body limit) leaves the body
 * unread, and Node then reads and discards all of it to keep the connection
 * alive: a token-less peer announcing 30 MB made the server read 30 MB (about
 * 6 s of a loaded core per connection, measured with scripts/bench-security.ts).
 * A request whose body is larger than any route takes (`maxBodyBytes`), or of
 * unknown length (chunked), is answered with `Connection: close`; if its body
 * is still unread when the answer is out, the connection stops being read and
 * is closed a second later. Small bodies keep Node's behaviour (keep-alive).
 */
export function unreadBodyGuard(maxBodyBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes || req.headers['transfer-encoding'] !== undefined) {
      res.set('Connection', 'close');
      res.once('finish', () => {
        if (req.complete) return;
        const socket = req.socket;
        // Node's own finish handler set the body flowing to discard it (req._dump); stop it reading.
        setImmediate(() => {
          req.pause();
          socket.pause();
        });
        setTimeout(() => socket.destroy(), ANSWER_GRACE_MS).unref();
      });
    }
    next();
  };
}
