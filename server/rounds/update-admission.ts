import { FedfuseError } from '../../common/errors/index.ts';
import { layerWidths, type ModelSpec } from '../../common/model/spec.ts';
import type { ClientUpdate } from '../../common/wire/index.ts';
import type { RunRecord } from '../store/index.ts';

/** What the admission of one update is checked against. */
export interface AdmissionContext {
  readonly run: RunRecord;
  /** The open round, or null between rounds. */
  readonly open: { readonly round: number; readonly sampled: ReadonlySet<string> } | null;
  /** The phase, when it is not 'training' (the round no longer takes updates); null while it does. */
  readonly closingPhase: string | null;
  readonly isConnected: (clientId: string) => boolean;
  readonly hasStoredUpdate: (round: number, clientId: string) => boolean;
  /** The spec every update must have: the model its clients were told to train. */
  readonly spec: ModelSpec;
  readonly maxNumExamples: number;
}

/**
 * Whether an update that decoded (so its model and records are well formed
 * and consistent with each other) may be stored for the open round; throws
 * the FedfuseError the client is told otherwise, and changes nothing. The
 * order matters: a re-sent update whose acknowledgement was lost must hear
 * 'duplicate', even after its round has closed.
 */
export function checkUpdateAdmission(clientId: string, update: ClientUpdate, ctx: AdmissionContext): void {
  const { run, open } = ctx;
  if (update.clientId !== clientId) {
    throw new FedfuseError('unauthenticated', `update names client "${update.clientId}" but the connection is authenticated as "${clientId}"`);
  }
  if (!ctx.isConnected(clientId)) throw new FedfuseError('unknown_client', `client "${clientId}" has not said hello`);
  if (update.runId !== run.id) throw new FedfuseError('wrong_round', `update is for run ${update.runId}, this server runs ${run.id}`);
  // Checked before the round: an update stored but whose ack was lost (a crash, a dropped connection) may be
  // re-sent after its round has closed, and the client must hear "already have it", not "wrong round".
  if (Number.isSafeInteger(update.round) && ctx.hasStoredUpdate(update.round, clientId)) {
    throw new FedfuseError('duplicate', `client "${clientId}" already sent its update for round ${update.round}`);
  }
  if (open === null || update.round !== open.round) {
    const current = open === null ? `no round is open (last completed: ${run.currentRound})` : `round ${open.round} is open`;
    throw new FedfuseError('wrong_round', `update is for round ${update.round}, ${current}`);
  }
  if (ctx.closingPhase !== null) throw new FedfuseError('wrong_round', `round ${open.round} no longer takes updates (${ctx.closingPhase})`);
  if (!open.sampled.has(clientId)) throw new FedfuseError('not_sampled', `client "${clientId}" was not sampled for round ${open.round}`);
  // The codec validated the records against the update's own model; the run's spec makes them valid for the run too.
  if (JSON.stringify(update.model.spec) !== JSON.stringify(ctx.spec)) {
    throw new FedfuseError('shape_mismatch', `the update's model architecture differs from the run's`);
  }
  if (!Number.isSafeInteger(update.numExamples) || update.numExamples <= 0 || update.numExamples > ctx.maxNumExamples) {
    throw new FedfuseError('invalid_argument', `num_examples must be an integer in [1, ${ctx.maxNumExamples}], got ${update.numExamples}`);
  }
}

/**
 * A histogram is one count per class of the run's model. Any other length is
 * refused before it reaches the store: the wire allows up to 64 MiB of packed
 * counts, and storing a 10-million-entry histogram as JSON took ~6 s of the
 * event loop (every client stalled) and 20 MB of disk per hello.
 */
export function checkLabelHistogram(histogram: readonly number[] | null, spec: ModelSpec): void {
  if (histogram === null) return;
  const classes = layerWidths(spec).at(-1) ?? 0;
  if (histogram.length !== classes) {
    throw new FedfuseError('invalid_argument', `label_histogram must have one count per class (${classes}), got ${histogram.length} entries`);
  }
}
