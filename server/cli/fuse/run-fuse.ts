import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { initBackend, type BackendPreference } from '../../../common/backend/index.ts';
import type { Dataset } from '../../../common/data/index.ts';
import { FedfuseError } from '../../../common/errors/index.ts';
import { layerWidths, saveNetwork, type Network } from '../../../common/model/index.ts';
import {
  isNeuronFusionMethod,
  FEDERATED_FUSION_SETTINGS,
  fuse,
  resolveNeuronFusionInputs,
  validateAlignedMeanInputs,
  validateParameterMeanInputs,
  type FusionLevelReport,
  type FusionOptions,
  type FusionReport,
  type OutputCalibrationReport,
} from '../../fusion/index.ts';
import { accuracyRows, formatAccuracyTable } from './accuracy-table.ts';
import type { FuseRequest } from './fuse-request.ts';
import { loadParentModels, type ParentModel } from './load-parent-models.ts';
import { loadCalibrationSet, loadEvaluationSet } from './model-input-data.ts';

/** Where the command's normal output goes (stdout in the CLI); one call per line. */
export type LineWriter = (line: string) => void;

function hiddenWidths(net: Network): number[] {
  return layerWidths(net.spec).slice(0, -1);
}

function fusionOptions(request: FuseRequest, parents: readonly ParentModel[]): FusionOptions {
  const base = { method: request.method, seed: request.seed };
  const widths = request.widths === null ? {} : { targetHiddenWidths: request.widths };
  switch (request.method) {
    case 'kf-linear':
    case 'kf-gradient':
    case 'hf': {
      if (request.neuronFusion === 'paper') return { ...base, ...widths, importance: request.importance };
      // Without --examples the fusion still runs: the FedAvg logit scale is skipped (the report says why).
      const examples = request.examples === null ? {} : { numExamples: request.examples };
      return { ...base, ...widths, importance: request.importance, ...FEDERATED_FUSION_SETTINGS, ...examples };
    }
    case 'fedavg':
      // Without --examples every parent counts the same (fedavg then equals average).
      return { ...base, ...widths, numExamples: request.examples ?? parents.map(() => 1) };
    case 'average':
      return { ...base, ...widths };
    case 'ot-fusion':
    case 'weight-matching':
      // Aligned, then averaged: by --examples when given, else equally.
      return { ...base, ...widths, ...(request.examples === null ? {} : { numExamples: request.examples }) };
  }
}

function checkWidthCount(request: FuseRequest, parents: readonly ParentModel[]): void {
  const own = hiddenWidths(parents[0]!.network);
  if (request.widths !== null && request.widths.length !== own.length) {
    throw new FedfuseError(
      'invalid_argument',
      `--widths lists ${request.widths.length} width(s) but the models have ${own.length} hidden weighted layer(s) (parent 0: ${own.join(', ') || 'none'})`,
    );
  }
  request.widths?.forEach((w, l) => {
    const available = parents.reduce((n, p) => n + hiddenWidths(p.network)[l]!, 0);
    if (w > available) {
      throw new FedfuseError(
        'invalid_argument',
        `--widths: ${w} neurons at hidden layer ${l} exceeds the ${available} neurons the models have there together; every fused neuron needs at least one parent neuron`,
      );
    }
  });
}

function checkOutDir(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new FedfuseError('invalid_argument', `--out ${out} exists and is not a folder`);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function describeLevel(level: FusionLevelReport): string {
  const from = level.parentWidths.join('+');
  const how =
    level.grouping === 'kmeans'
      ? `k-means, ${plural(level.kmeans?.iterations ?? 0, 'iteration')}`
      : level.grouping === 'hungarian'
        ? 'Hungarian pairs'
        : level.grouping === 'shared'
          ? 'grouped with its residual add'
          : level.grouping === 'identity'
            ? 'kept as is'
            : 'class to class';
  const gradient = level.gradient === undefined ? '' : `, trained ${plural(level.gradient.epochs, 'epoch')} (held-out loss ${level.gradient.startHeldOutLoss.toExponential(2)} -> ${level.gradient.heldOutLoss.toExponential(2)})`;
  return (
    `  layer ${level.weightedLayer} ${level.kind.padEnd(6)} ${from} -> ${level.width} (${how}): ${level.seconds.total.toFixed(3)} s, ` +
    `${level.rows}x${level.columns} least squares, target fit error ${level.targetFitRelativeError.toExponential(2)}${gradient}`
  );
}

function describeOutputCalibration(calibration: OutputCalibrationReport): string {
  const scale =
    calibration.scaleSkipped === null
      ? `logits scaled by ${calibration.scale.toFixed(3)} to the FedAvg average's spread`
      : `logits not rescaled (${calibration.scaleSkipped})`;
  const prior = calibration.priorMatching === null ? '' : `, class prior matched (largest gap ${calibration.priorMatching.gapBefore.toFixed(3)} -> ${calibration.priorMatching.gapAfter.toFixed(3)})`;
  return `  output layer: ${scale}${prior}`;
}

function describeFusion(request: FuseRequest, report: FusionReport, parents: readonly ParentModel[], calibration: Dataset | null, wallSeconds: number): string[] {
  const settings = isNeuronFusionMethod(request.method) ? ` (${request.neuronFusion} settings)` : '';
  const importance = report.importance === 'none' ? '' : `, importance ${report.importance}`;
  const data = calibration === null ? 'no calibration data' : `${report.calibrationSamples} calibration samples (${calibration.name})`;
  const lines = [
    `fused ${plural(parents.length, 'model')} with ${report.method}${settings}${importance}, seed ${report.seed}, on ${data}`,
    `hidden widths [${report.hiddenWidths.join(', ')}] from parents ${parents.map((p) => `[${hiddenWidths(p.network).join(', ')}]`).join(' ')}`,
    `fusion time ${wallSeconds.toFixed(3)} s`,
  ];
  lines.push(...report.levels.map(describeLevel));
  if (report.outputCalibration !== undefined) lines.push(describeOutputCalibration(report.outputCalibration));
  if (report.alignment !== undefined) {
    const moved = report.alignment.parents.map((p, k) => `parent ${k}: ${p.movedChannels} moved${p.sweeps > 1 ? ` in ${p.sweeps} sweeps` : ''}`).slice(1);
    lines.push(`  aligned onto parent ${report.alignment.reference} over ${plural(report.alignment.spaces, 'channel space')}: ${moved.join('; ')}`);
  }
  return lines;
}

/**
 * `fedfuse fuse`: every input is read and checked (models, calibration,
 * evaluation set, options, through the fusion library's own validators)
 * before the TF.js backend starts, so that a mistake costs no time and
 * prints one line. Then fuse, write the TF.js model, and evaluate.
 */
export async function runFuse(request: FuseRequest, backend: BackendPreference, write: LineWriter): Promise<void> {
  const parents = await loadParentModels(request.models);
  const spec = parents[0]!.network.spec;
  checkWidthCount(request, parents);
  const calibration = request.calibration === null ? null : loadCalibrationSet(request.calibration, spec);
  const evaluation = request.evaluation === null ? null : loadEvaluationSet(request.evaluation, spec);
  checkOutDir(request.out);

  const networks = parents.map((p) => p.network);
  const calibrationValues = calibration?.images ?? new Float32Array(0);
  const options = fusionOptions(request, parents);
  if (isNeuronFusionMethod(options.method)) resolveNeuronFusionInputs(networks, calibrationValues, options);
  else if (options.method === 'ot-fusion' || options.method === 'weight-matching') validateAlignedMeanInputs(networks, calibrationValues, options);
  else validateParameterMeanInputs(networks, calibrationValues, options);

  await initBackend(backend);
  const started = performance.now();
  const { network, report } = await fuse(networks, calibrationValues, options);
  const wallSeconds = (performance.now() - started) / 1000;

  let saved;
  try {
    saved = await saveNetwork(network, request.out);
  } catch (e) {
    throw new FedfuseError('invalid_argument', `cannot write the fused model to --out ${request.out}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  describeFusion(request, report, parents, calibration, wallSeconds).forEach(write);
  write(`wrote ${saved.modelJsonPath} and ${saved.weightsPath}`);
  if (request.report !== null) {
    await writeFile(request.report, JSON.stringify(report, null, 2) + '\n');
    write(`wrote the fusion report to ${request.report}`);
  }

  if (evaluation !== null) {
    const rows = await accuracyRows(parents, network, `fused (${report.method})`, evaluation);
    write(`accuracy on ${evaluation.name} (${evaluation.count} samples):`);
    write(formatAccuracyTable(rows));
  }
}
