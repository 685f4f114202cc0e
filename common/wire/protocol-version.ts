/**
 * Version of the wire protocol spoken by this code, sent in every Envelope.
 * Bump it on any change that an older peer would misread (a field changing
 * meaning or type), never for additions that proto3 skips safely (new optional
 * fields, new message kinds are handled as "unknown body" -> bad_message).
 */
export const PROTOCOL_VERSION = 1;
