import * as tf from '@tensorflow/tfjs';
import type { Network } from '../../common/model/network.ts';
import { layerWidths } from '../../common/model/spec.ts';
import { solveLinearAssignment } from './assignment/index.ts';
import type { FusionOptions } from './fusion-options.ts';
import type { FusionResult } from './fusion-report.ts';
import { fuseNeuronLevels, type HiddenLayerGrouping, type LevelGroupingInput } from './neuron-fusion.ts';
import { resolveImportances } from './neuron-importance.ts';
import { calibrateOutput } from './output-calibration.ts';
import { resolveNeuronFusionInputs } from './validate-fusion-inputs.ts';

/**
 * HF's pair costs for two parents of width n (method.md): pairing neuron i of
 * parent 0 with neuron j of parent 1 gives the fused weight
 * w = (s0ᵢ w0ᵢ + s1ⱼ w1ⱼ)/(s0ᵢ + s1ⱼ), at cost s0ᵢ‖Xw − a0ᵢ‖ + s1ⱼ‖Xw − a1ⱼ‖.
 * With âᵢ = X wᵢ the fitted activation and rᵢ = aᵢ − âᵢ its residual
 * (orthogonal to the column space of X, up to the ridge), and
 * Dᵢⱼ = ‖â0ᵢ − â1ⱼ‖², β = s1ⱼ/(s0ᵢ + s1ⱼ), α = 1 − β:
 *   ‖Xw − a0ᵢ‖² = ‖r0ᵢ‖² + β² Dᵢⱼ,   ‖Xw − a1ⱼ‖² = ‖r1ⱼ‖² + α² Dᵢⱼ,
 * so all n² costs come from one product of projected coordinates, with no
 * loop over samples. Returns n x n, row-major.
 */
export async function hungarianPairCosts(input: LevelGroupingInput): Promise<Float64Array> {
  const { system, targets, targetValues, weights, parentWidths } = input;
  const n0 = parentWidths[0]!;
  const n1 = parentWidths[1]!;
  const members = n0 + n1;
  const dim = system.coordinateDimension;
  const coordinates = system.fittedCoordinates(targets);
  const cross = tf.tidy(() => {
    const y0 = tf.slice(coordinates, [0, 0], [n0, dim]);
    // Explicit transpose: the wasm matMul with transpose flags is ~10x slower (facts.md).
    const y1t = tf.transpose(tf.slice(coordinates, [n0, 0], [n1, dim]));
    return tf.matMul(y0, y1t);
  });
  let values: Float32Array;
  let dots: Float32Array;
  try {
    values = (await coordinates.data()) as Float32Array;
    dots = (await cross.data()) as Float32Array;
  } finally {
    tf.dispose([coordinates, cross]);
  }
  const fittedNorm = new Float64Array(members);
  for (let i = 0; i < members; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += values[i * dim + d]! ** 2;
    fittedNorm[i] = s;
  }
  const residual = new Float64Array(members);
  const rows = targetValues.length / members;
  for (let r = 0; r < rows; r++) for (let i = 0; i < members; i++) residual[i]! += targetValues[r * members + i]! ** 2;
  for (let i = 0; i < members; i++) residual[i] = Math.max(0, residual[i]! - fittedNorm[i]!);

  const cost = new Float64Array(n0 * n1);
  for (let i = 0; i < n0; i++) {
    const s0 = weights[i]!;
    for (let j = 0; j < n1; j++) {
      const s1 = weights[n0 + j]!;
      const beta = s1 / (s0 + s1);
      const alpha = 1 - beta;
      const d = Math.max(0, fittedNorm[i]! + fittedNorm[n0 + j]! - 2 * dots[i * n1 + j]!);
      cost[i * n1 + j] = s0 * Math.sqrt(residual[i]! + beta * beta * d) + s1 * Math.sqrt(residual[n0 + j]! + alpha * alpha * d);
    }
  }
  return cost;
}

/** HF's grouping: a minimum-cost assignment of parent 1's neurons to parent 0's; fused neuron i is the pair (i, π(i)). */
export const hungarianGrouping: HiddenLayerGrouping = async (input) => {
  const n0 = input.parentWidths[0]!;
  const n1 = input.parentWidths[1]!;
  const cost = await hungarianPairCosts(input);
  const { columnOfRow, cost: total } = solveLinearAssignment(cost, n0, n1);
  const assignment = new Int32Array(n0 + n1);
  for (let i = 0; i < n0; i++) {
    assignment[i] = i;
    assignment[n0 + columnOfRow[i]!] = i;
  }
  return { assignment, grouping: 'hungarian', assignmentCost: total };
};

/**
 * HF fusion of exactly two parents with equal hidden widths; the fused model
 * keeps those widths (targetHiddenWidths, if given, must equal them).
 */
export async function fuseHungarian(
  parents: readonly Network[],
  calibration: Float32Array,
  options: Omit<FusionOptions, 'method'> = {},
): Promise<FusionResult> {
  const started = performance.now();
  const { samples, resolved } = resolveNeuronFusionInputs(parents, calibration, { ...options, method: 'hf' });
  const importances = await resolveImportances(parents, resolved.importances, resolved.importanceSource, calibration, samples);
  const fused = await fuseNeuronLevels(parents, calibration, samples, resolved, importances, hungarianGrouping);
  const { network, report: outputCalibration } = await calibrateOutput(fused.network, parents, calibration, samples, resolved);
  const levels = fused.levels;
  return {
    network,
    report: {
      method: 'hf',
      parents: parents.length,
      calibrationSamples: samples,
      importance: resolved.importanceSource,
      seed: resolved.seed,
      hiddenWidths: layerWidths(network.spec).slice(0, -1),
      levels,
      ...(fused.channelLevels.length === 0 ? {} : { channelLevels: fused.channelLevels }),
      ...(outputCalibration === null ? {} : { outputCalibration }),
      totalSeconds: (performance.now() - started) / 1000,
    },
  };
}
