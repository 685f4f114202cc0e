import { isAttributionMethod, validateAttributionSummary, type AttributionSummary } from '../attribution/summary.ts';
import { FedfuseError } from '../errors/index.ts';
import type { ModelSpec } from '../model/spec.ts';
import { checkUint32 } from './field-checks.ts';
import { float32FromLittleEndianBytes, float32ToLittleEndianBytes } from './float32-bytes.ts';
import type { fedfuse } from './generated/fedfuse.js';

/** AttributionSummary <-> its protobuf message (scores as little-endian float32 bytes). */

export function attributionToProto(summary: AttributionSummary): fedfuse.v1.IAttributionSummary {
  return {
    method: summary.method,
    samplesUsed: checkUint32(summary.samplesUsed, 'attribution samples used'),
    layers: summary.layers.map((scores) => ({ scores: float32ToLittleEndianBytes(scores) })),
  };
}

/** Decodes a summary and validates it against the spec of the model it describes. */
export function attributionFromProto(proto: fedfuse.v1.IAttributionSummary, spec: ModelSpec, what = 'attribution summary'): AttributionSummary {
  const method = proto.method ?? '';
  // Same code as validateAttributionSummary gives an unknown method: the string is well formed, its value is not accepted.
  if (!isAttributionMethod(method)) throw new FedfuseError('invalid_argument', `${what}: unknown method "${method}"`);
  const summary: AttributionSummary = {
    method,
    samplesUsed: proto.samplesUsed ?? 0,
    layers: (proto.layers ?? []).map((layer, l) => float32FromLittleEndianBytes(layer.scores ?? new Uint8Array(0), `${what} layer ${l}`)),
  };
  validateAttributionSummary(summary, spec, what);
  return summary;
}
