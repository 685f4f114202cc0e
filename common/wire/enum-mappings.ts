import type { ErrorCode } from '../errors/index.ts';
import type { Activation, ModelSpec, Padding } from '../model/spec.ts';
import { enumMapping } from './enum-mapping.ts';
import { fedfuse } from './generated/fedfuse.js';
import type { OptimizerName, WireMessageType } from './messages.ts';

/** The protocol's enums and the domain unions they stand for. */
const pb = fedfuse.v1;

export const errorCodeMapping = enumMapping<ErrorCode, fedfuse.v1.ErrorCode>('ErrorCode', {
  bad_message: pb.ErrorCode.ERROR_CODE_BAD_MESSAGE,
  unauthenticated: pb.ErrorCode.ERROR_CODE_UNAUTHENTICATED,
  wrong_round: pb.ErrorCode.ERROR_CODE_WRONG_ROUND,
  shape_mismatch: pb.ErrorCode.ERROR_CODE_SHAPE_MISMATCH,
  non_finite: pb.ErrorCode.ERROR_CODE_NON_FINITE,
  too_large: pb.ErrorCode.ERROR_CODE_TOO_LARGE,
  duplicate: pb.ErrorCode.ERROR_CODE_DUPLICATE,
  not_sampled: pb.ErrorCode.ERROR_CODE_NOT_SAMPLED,
  unknown_client: pb.ErrorCode.ERROR_CODE_UNKNOWN_CLIENT,
  invalid_argument: pb.ErrorCode.ERROR_CODE_INVALID_ARGUMENT,
  unavailable: pb.ErrorCode.ERROR_CODE_UNAVAILABLE,
  internal: pb.ErrorCode.ERROR_CODE_INTERNAL,
});

export const activationMapping = enumMapping<Activation, fedfuse.v1.Activation>('Activation', {
  relu: pb.Activation.ACTIVATION_RELU,
  linear: pb.Activation.ACTIVATION_LINEAR,
});

export const paddingMapping = enumMapping<Padding, fedfuse.v1.Padding>('Padding', {
  valid: pb.Padding.PADDING_VALID,
  same: pb.Padding.PADDING_SAME,
});

export const outputActivationMapping = enumMapping<ModelSpec['outputActivation'], fedfuse.v1.OutputActivation>('OutputActivation', {
  softmax: pb.OutputActivation.OUTPUT_ACTIVATION_SOFTMAX,
  linear: pb.OutputActivation.OUTPUT_ACTIVATION_LINEAR,
});

export const optimizerMapping = enumMapping<OptimizerName, fedfuse.v1.Optimizer>('Optimizer', {
  sgd: pb.Optimizer.OPTIMIZER_SGD,
  adam: pb.Optimizer.OPTIMIZER_ADAM,
});

export const messageKindMapping = enumMapping<WireMessageType, fedfuse.v1.MessageKind>('MessageKind', {
  clientHello: pb.MessageKind.MESSAGE_KIND_CLIENT_HELLO,
  welcome: pb.MessageKind.MESSAGE_KIND_WELCOME,
  roundTask: pb.MessageKind.MESSAGE_KIND_ROUND_TASK,
  clientUpdate: pb.MessageKind.MESSAGE_KIND_CLIENT_UPDATE,
  ack: pb.MessageKind.MESSAGE_KIND_ACK,
  error: pb.MessageKind.MESSAGE_KIND_ERROR,
  globalModel: pb.MessageKind.MESSAGE_KIND_GLOBAL_MODEL,
});

/** Only float32 exists in the protocol today; the enum leaves room for int8/float16 later. */
export const dtypeMapping = enumMapping<'float32', fedfuse.v1.DType>('DType', {
  float32: pb.DType.DTYPE_FLOAT32,
});
