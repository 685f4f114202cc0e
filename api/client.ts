/**
 * `fedfuse/client`: the client SDK, the same in Node and in browsers.
 * FedfuseClient connects with its token, says hello, trains each task on its
 * data, uploads and keeps the update until the server acknowledges it, and
 * follows the global model (docs/protocol.md is the protocol it speaks).
 */
export { FedfuseClient, connectClient, clientIdFromToken, computeLocalUpdate, createSocketIoConnection } from '../client/index.ts';
export type { ClientConnection, ClientEvent, ClientOptions, Backoff, Unsubscribe } from '../client/index.ts';
export { PROTOCOL_VERSION, MAX_MESSAGE_BYTES } from '../common/wire/index.ts';
export type { ClientUpdate, DataCarve, GlobalModel, RoundTask, TrainingConfig, Welcome, WireMessage } from '../common/wire/index.ts';
export { initBackend, type BackendName, type BackendPreference } from '../common/backend/index.ts';
export { FedfuseError, isFedfuseError, ERROR_CODES, type ErrorCode } from '../common/errors/index.ts';
