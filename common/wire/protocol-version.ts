/**
 * Version of the wire protocol spoken by this code, sent in every Envelope.
 * Bump it on any change that an older peer would misread (a field changing
 * meaning or type), never for additions that proto3 skips safely (new optional
 * fields, new message kinds are handled as "unknown body" -> bad_message).
 */
export const PROTOCOL_VERSION = 2;

/**
 * History:
 * - 1: one model per round.
 * - 2: round records (RoundTask.records, ClientUpdate.records and local_steps,
 *   GlobalModel.separate_training_model); RoundTask.global_model is the model
 *   the round trains from, which may differ from the served global model.
 *   A version 1 client would drop the records and train from the wrong state.
 *   Later additions within 2, which older peers skip safely (not bumped):
 *   ClientHello.width_capacity (field 50, heterogeneous clients): an older
 *   server ignores it and sends the global width, which an older or newer
 *   client trains alike (a task's model always says its own widths).
 */
