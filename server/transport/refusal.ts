import type { ErrorCode } from '../../common/errors/index.ts';

/**
 * One thing the transport refused, whatever refused it: the handshake (token,
 * connection rate), the envelope decoder (bad_message, too_large, non_finite,
 * shape_mismatch), the transport's own checks (hello vs token, hello first)
 * or the orchestrator (wrong_round, duplicate, not_sampled, ...). The server
 * counts every one in fedfuse_uploads_total{result="rejected",code} and logs
 * it, so /metrics and the log see every class of refusal in one place.
 */
export interface Refusal {
  /**
   * 'handshake': the connection was refused before it opened (connect_error);
   * 'message': one envelope was answered with an Error;
   * 'connection': socket.io cut an open connection for what the peer sent (a frame over the size limit).
   */
  readonly stage: 'handshake' | 'message' | 'connection';
  readonly code: ErrorCode;
  readonly message: string;
  /** The client id from a verified token; null when no token verified. */
  readonly clientId: string | null;
  /** The peer's address as socket.io saw it (behind a proxy: the proxy's). */
  readonly remoteAddress: string;
}
