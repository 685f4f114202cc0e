import { isAttributionMethod } from '../attribution/summary.ts';
import { FedfuseError, isFedfuseError } from '../errors/index.ts';
import { attributionFromProto, attributionToProto } from './attribution-codec.ts';
import { errorCodeMapping, messageKindMapping, optimizerMapping } from './enum-mappings.ts';
import {
  checkSafeUint,
  checkUint32,
  requireFiniteAtLeast,
  requireNonEmpty,
  requirePresent,
  singleOneofCase,
  uint64ToSafeNumber,
  wellFormedString,
} from './field-checks.ts';
import { fedfuse } from './generated/fedfuse.js';
import { MAX_MESSAGE_BYTES } from './max-message-bytes.ts';
import { WIRE_MESSAGE_TYPES, type TrainingConfig, type TrainingMetrics, type WireMessage } from './messages.ts';
import { networkFromProto, networkToProto } from './network-codec.ts';
import { recordDictFromProto, recordDictToProto } from './record-codec.ts';
import { PROTOCOL_VERSION } from './protocol-version.ts';

/**
 * The only way bytes enter or leave fedfuse: WireMessage <-> Envelope bytes.
 * Decoding validates everything a handler would otherwise have to re-check,
 * and fails only with a FedfuseError whose code the peer can be told.
 */

/** Encodes one message; too_large when it would exceed MAX_MESSAGE_BYTES, invalid_argument for unencodable values (e.g. a negative round). */
export function encodeEnvelope(msg: WireMessage): Uint8Array {
  const bytes = fedfuse.v1.Envelope.encode(envelopeToProto(msg)).finish();
  if (bytes.byteLength > MAX_MESSAGE_BYTES) {
    throw new FedfuseError('too_large', `${msg.type} message is ${bytes.byteLength} bytes, the limit is ${MAX_MESSAGE_BYTES}`);
  }
  return bytes;
}

/**
 * Decodes and validates one envelope. Errors: too_large (over the limit),
 * bad_message (not protobuf, truncated, other protocol version, missing body
 * or required field, unknown enum value), shape_mismatch (tensors vs spec,
 * scores vs layer widths), non_finite (NaN/Inf weights, scores or metrics),
 * invalid_argument (well formed but unacceptable values, e.g. zero units).
 * Records (RoundTask.records, ClientUpdate.records) are checked against the
 * message's model by record-codec.ts with the same codes.
 */
export function decodeEnvelope(bytes: Uint8Array): WireMessage {
  if (!(bytes instanceof Uint8Array)) throw new FedfuseError('bad_message', 'a message must be binary');
  if (bytes.byteLength > MAX_MESSAGE_BYTES) {
    throw new FedfuseError('too_large', `message is ${bytes.byteLength} bytes, the limit is ${MAX_MESSAGE_BYTES}`);
  }
  // On Node, decode from a Buffer view (no copy): protobufjs then reads strings with Node's native
  // UTF-8 decoder, which like TextDecoder turns invalid sequences into U+FFFD, whereas its own
  // fallback decoder for plain Uint8Arrays can produce lone surrogates (refused below).
  const input = typeof Buffer === 'function' && !Buffer.isBuffer(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
  let envelope: fedfuse.v1.Envelope;
  try {
    envelope = fedfuse.v1.Envelope.decode(input);
  } catch (e) {
    throw new FedfuseError('bad_message', `not a valid envelope: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (envelope.protocolVersion !== PROTOCOL_VERSION) {
    throw new FedfuseError('bad_message', `protocol version ${envelope.protocolVersion} is not supported (this side speaks ${PROTOCOL_VERSION})`);
  }
  try {
    return envelopeFromProto(envelope);
  } catch (e) {
    if (isFedfuseError(e)) throw e;
    // A non-typed error here is a bug in the checks above it, not the peer's fault; keep it typed anyway.
    throw new FedfuseError('internal', `decoding failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** The protobuf object for a message (exported for the static-vs-reflection benchmark). */
export function envelopeToProto(msg: WireMessage): fedfuse.v1.IEnvelope {
  const protocolVersion = PROTOCOL_VERSION;
  switch (msg.type) {
    case 'clientHello':
      return {
        protocolVersion,
        clientHello: {
          clientId: msg.clientId,
          softwareVersion: msg.softwareVersion,
          numExamples: checkUint32(msg.numExamples, 'numExamples'),
          labelHistogram: (msg.labelHistogram ?? []).map((n, c) => checkUint32(n, `labelHistogram[${c}]`)),
          ...(msg.widthCapacity !== null ? { widthCapacity: checkWidthCapacity(msg.widthCapacity) } : {}),
        },
      };
    case 'welcome':
      return {
        protocolVersion,
        welcome: {
          runId: msg.runId,
          currentRound: checkUint32(msg.currentRound, 'currentRound'),
          serverVersion: msg.serverVersion,
          runFinished: msg.runFinished,
          dataCarve:
            msg.dataCarve === null
              ? null
              : {
                  dataset: msg.dataCarve.dataset,
                  splitSeed: checkUint32(msg.dataCarve.splitSeed, 'dataCarve.splitSeed'),
                  calibrationSize: checkUint32(msg.dataCarve.calibrationSize, 'dataCarve.calibrationSize'),
                  testSize: checkUint32(msg.dataCarve.testSize, 'dataCarve.testSize'),
                },
        },
      };
    case 'roundTask':
      return {
        protocolVersion,
        roundTask: {
          runId: msg.runId,
          round: checkUint32(msg.round, 'round'),
          globalModel: networkToProto(msg.model),
          training: trainingConfigToProto(msg.training),
          deadlineUnixMs: checkSafeUint(msg.deadlineUnixMs, 'deadlineUnixMs'),
          records: recordDictToProto(msg.records),
        },
      };
    case 'clientUpdate':
      return {
        protocolVersion,
        clientUpdate: {
          runId: msg.runId,
          round: checkUint32(msg.round, 'round'),
          clientId: msg.clientId,
          model: networkToProto(msg.model),
          attribution: msg.attribution === null ? null : attributionToProto(msg.attribution),
          numExamples: checkUint32(msg.numExamples, 'numExamples'),
          metrics: { ...msg.metrics },
          records: recordDictToProto(msg.records),
          localSteps: checkUint32(msg.localSteps, 'localSteps'),
        },
      };
    case 'ack':
      return {
        protocolVersion,
        ack: { runId: msg.runId, round: checkUint32(msg.round, 'round'), accepted: messageKindMapping.toProto(msg.accepted), message: msg.message },
      };
    case 'error':
      return {
        protocolVersion,
        error: {
          code: errorCodeMapping.toProto(msg.code),
          message: msg.message,
          round: msg.round === null ? null : checkUint32(msg.round, 'round'),
        },
      };
    case 'globalModel':
      return {
        protocolVersion,
        globalModel: {
          runId: msg.runId,
          round: checkUint32(msg.round, 'round'),
          model: networkToProto(msg.model),
          final: msg.final,
          separateTrainingModel: msg.separateTrainingModel,
        },
      };
  }
}

function trainingConfigToProto(config: TrainingConfig): fedfuse.v1.ITrainingConfig {
  return {
    epochs: checkUint32(config.epochs, 'epochs'),
    batchSize: checkUint32(config.batchSize, 'batchSize'),
    learningRate: config.learningRate,
    optimizer: optimizerMapping.toProto(config.optimizer),
    proximalMu: config.proximalMu,
    attributionMethod: config.attributionMethod,
    attributionSamples: checkUint32(config.attributionSamples, 'attributionSamples'),
  };
}

/** The validated message in a decoded envelope (exported for the benchmark). */
export function envelopeFromProto(envelope: fedfuse.v1.IEnvelope): WireMessage {
  switch (singleOneofCase(envelope, WIRE_MESSAGE_TYPES, 'envelope body')) {
    case 'clientHello': {
      const m = requirePresent(envelope.clientHello, 'clientHello');
      const histogram = m.labelHistogram ?? [];
      return {
        type: 'clientHello',
        clientId: requireNonEmpty(m.clientId, 'clientHello client_id'),
        softwareVersion: wellFormedString(m.softwareVersion, 'clientHello software_version'),
        numExamples: m.numExamples ?? 0,
        labelHistogram: histogram.length === 0 ? null : [...histogram],
        // float on the wire: 0.7 arrives as 0.699999988, so the value is rounded to 6 decimals (0 = unset).
        widthCapacity: m.widthCapacity === undefined || m.widthCapacity === null || m.widthCapacity === 0 ? null : checkWidthCapacity(Math.round(m.widthCapacity * 1e6) / 1e6),
      };
    }
    case 'welcome': {
      const m = requirePresent(envelope.welcome, 'welcome');
      return {
        type: 'welcome',
        runId: requireNonEmpty(m.runId, 'welcome run_id'),
        currentRound: m.currentRound ?? 0,
        serverVersion: wellFormedString(m.serverVersion, 'welcome server_version'),
        runFinished: m.runFinished === true,
        dataCarve:
          m.dataCarve === null || m.dataCarve === undefined
            ? null
            : {
                dataset: requireNonEmpty(m.dataCarve.dataset, 'welcome data_carve dataset'),
                splitSeed: m.dataCarve.splitSeed ?? 0,
                calibrationSize: m.dataCarve.calibrationSize ?? 0,
                testSize: m.dataCarve.testSize ?? 0,
              },
      };
    }
    case 'roundTask': {
      const m = requirePresent(envelope.roundTask, 'roundTask');
      const model = networkFromProto(requirePresent(m.globalModel, 'roundTask global_model'), 'roundTask global model');
      return {
        type: 'roundTask',
        runId: requireNonEmpty(m.runId, 'roundTask run_id'),
        round: m.round ?? 0,
        model,
        training: trainingConfigFromProto(requirePresent(m.training, 'roundTask training')),
        deadlineUnixMs: uint64ToSafeNumber(m.deadlineUnixMs, 'roundTask deadline_unix_ms'),
        records: recordDictFromProto(m.records, model, 'roundTask records'),
      };
    }
    case 'clientUpdate': {
      const m = requirePresent(envelope.clientUpdate, 'clientUpdate');
      const model = networkFromProto(requirePresent(m.model, 'clientUpdate model'), 'clientUpdate model');
      return {
        type: 'clientUpdate',
        runId: requireNonEmpty(m.runId, 'clientUpdate run_id'),
        round: m.round ?? 0,
        clientId: requireNonEmpty(m.clientId, 'clientUpdate client_id'),
        model,
        attribution: m.attribution === null || m.attribution === undefined ? null : attributionFromProto(m.attribution, model.spec, 'clientUpdate attribution'),
        numExamples: m.numExamples ?? 0,
        metrics: trainingMetricsFromProto(requirePresent(m.metrics, 'clientUpdate metrics')),
        records: recordDictFromProto(m.records, model, 'clientUpdate records'),
        localSteps: m.localSteps ?? 0,
      };
    }
    case 'ack': {
      const m = requirePresent(envelope.ack, 'ack');
      return {
        type: 'ack',
        runId: wellFormedString(m.runId, 'ack run_id'),
        round: m.round ?? 0,
        accepted: messageKindMapping.fromProto(m.accepted, 'ack accepted'),
        message: wellFormedString(m.message, 'ack message'),
      };
    }
    case 'error': {
      const m = requirePresent(envelope.error, 'error');
      return {
        type: 'error',
        code: errorCodeMapping.fromProto(m.code, 'error code'),
        message: wellFormedString(m.message, 'error message'),
        round: m.round ?? null,
      };
    }
    case 'globalModel': {
      const m = requirePresent(envelope.globalModel, 'globalModel');
      return {
        type: 'globalModel',
        runId: requireNonEmpty(m.runId, 'globalModel run_id'),
        round: m.round ?? 0,
        model: networkFromProto(requirePresent(m.model, 'globalModel model'), 'global model'),
        final: m.final === true,
        separateTrainingModel: m.separateTrainingModel === true,
      };
    }
  }
}

function trainingConfigFromProto(proto: fedfuse.v1.ITrainingConfig): TrainingConfig {
  const what = 'roundTask training';
  const attributionMethod = proto.attributionMethod ?? '';
  if (!isAttributionMethod(attributionMethod)) {
    throw new FedfuseError('invalid_argument', `${what}: unknown attribution method "${attributionMethod}"`);
  }
  return {
    epochs: requireFiniteAtLeast(proto.epochs, 1, `${what} epochs`),
    batchSize: requireFiniteAtLeast(proto.batchSize, 1, `${what} batch_size`),
    learningRate: positiveFinite(proto.learningRate, `${what} learning_rate`),
    optimizer: optimizerMapping.fromProto(proto.optimizer, `${what} optimizer`),
    proximalMu: requireFiniteAtLeast(proto.proximalMu, 0, `${what} proximal_mu`),
    attributionMethod,
    attributionSamples: proto.attributionSamples ?? 0,
  };
}

function positiveFinite(value: number | null | undefined, what: string): number {
  const v = requireFiniteAtLeast(value, 0, what);
  if (v === 0) throw new FedfuseError('invalid_argument', `${what} must be positive`);
  return v;
}

function trainingMetricsFromProto(proto: fedfuse.v1.ITrainingMetrics): TrainingMetrics {
  const what = 'clientUpdate metrics';
  const accuracy = requireFiniteAtLeast(proto.accuracy, 0, `${what} accuracy`);
  if (accuracy > 1) throw new FedfuseError('invalid_argument', `${what} accuracy must be in [0, 1], got ${accuracy}`);
  return {
    loss: requireFiniteAtLeast(proto.loss, 0, `${what} loss`),
    accuracy,
    trainSeconds: requireFiniteAtLeast(proto.trainSeconds, 0, `${what} train_seconds`),
    attributionSeconds: requireFiniteAtLeast(proto.attributionSeconds, 0, `${what} attribution_seconds`),
  };
}

/** ClientHello.width_capacity: a fraction in (0, 1] (NaN, infinities, negatives and more than 1 are refused). */
function checkWidthCapacity(v: number): number {
  if (!(Number.isFinite(v) && v > 0 && v <= 1)) throw new FedfuseError('invalid_argument', `clientHello width_capacity must be a fraction in (0, 1] (or unset), got ${v}`);
  return v;
}
