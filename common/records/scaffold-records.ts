/**
 * The record names SCAFFOLD's control variates travel under (server and
 * client agree on them here). Each is a model-shaped ArrayRecord
 * (networkArrays): one tensor per kernel and bias, so the codec checks it
 * against the model's shapes.
 * - In a RoundTask: SCAFFOLD_SERVER_VARIATE (c, always) and
 *   SCAFFOLD_CLIENT_VARIATE (c_i, once the client has taken part; absent = 0).
 * - In a ClientUpdate: SCAFFOLD_CLIENT_VARIATE, the client's new c_i+.
 */
export const SCAFFOLD_SERVER_VARIATE = 'scaffold.c';
export const SCAFFOLD_CLIENT_VARIATE = 'scaffold.c_i';
