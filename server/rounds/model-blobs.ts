import type { AttributionSummary } from '../../common/attribution/summary.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import type { ModelSpec } from '../../common/model/spec.ts';
import type { Network } from '../../common/model/network.ts';
import { isEmptyRecords, type RecordDict } from '../../common/records/index.ts';
import { attributionFromProto, attributionToProto, networkFromProto, networkToProto, recordDictFromProto, recordDictToProto } from '../../common/wire/index.ts';
import { fedfuse } from '../../common/wire/generated/fedfuse.js';

/**
 * Models and attribution summaries are stored as the same protobuf messages
 * that travel on the wire, so the database never holds a second format and a
 * stored blob can be decoded with the same validation as a received one.
 */
export function encodeModelBlob(net: Network): Uint8Array {
  return fedfuse.v1.Model.encode(networkToProto(net)).finish();
}

export function decodeModelBlob(bytes: Uint8Array, what = 'stored model'): Network {
  let proto: fedfuse.v1.Model;
  try {
    proto = fedfuse.v1.Model.decode(bytes);
  } catch (e) {
    throw new FedfuseError('internal', `${what} is not a valid Model message: ${e instanceof Error ? e.message : String(e)}`);
  }
  return networkFromProto(proto, what);
}

export function encodeAttributionBlob(summary: AttributionSummary): Uint8Array {
  return fedfuse.v1.AttributionSummary.encode(attributionToProto(summary)).finish();
}

export function decodeAttributionBlob(bytes: Uint8Array, spec: ModelSpec, what = 'stored attribution summary'): AttributionSummary {
  let proto: fedfuse.v1.AttributionSummary;
  try {
    proto = fedfuse.v1.AttributionSummary.decode(bytes);
  } catch (e) {
    throw new FedfuseError('internal', `${what} is not a valid AttributionSummary message: ${e instanceof Error ? e.message : String(e)}`);
  }
  return attributionFromProto(proto, spec, what);
}

/** Records as a blob, or null when there are none (the store's NULL). */
export function encodeRecordsBlob(records: RecordDict): Uint8Array | null {
  if (isEmptyRecords(records)) return null;
  return fedfuse.v1.RecordDict.encode(recordDictToProto(records)).finish();
}

/** Records from a blob (null = none), validated against the model they came with exactly as on the wire. */
export function decodeRecordsBlob(bytes: Uint8Array | null, model: Network, what = 'stored records'): RecordDict {
  let proto: fedfuse.v1.RecordDict | null = null;
  if (bytes !== null) {
    try {
      proto = fedfuse.v1.RecordDict.decode(bytes);
    } catch (e) {
      throw new FedfuseError('internal', `${what} is not a valid RecordDict message: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return recordDictFromProto(proto, model, what);
}
