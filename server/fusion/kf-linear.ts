import type { Network } from '../../common/model/network.ts';
import { layerWidths } from '../../common/model/spec.ts';
import type { FusionOptions, GroupingStart } from './fusion-options.ts';
import type { FusionResult } from './fusion-report.ts';
import { weightedKMeans, type KMeansOptions } from './kmeans/index.ts';
import { fuseNeuronLevels, indexAssignment, type HiddenLayerGrouping } from './neuron-fusion.ts';
import { resolveImportances } from './neuron-importance.ts';
import { calibrateOutput } from './output-calibration.ts';
import { resolveNeuronFusionInputs } from './validate-fusion-inputs.ts';

/**
 * KF-linear's grouping: importance-weighted k-means of the parents' neurons in
 * activation space projected onto the column space of X (method.md step 4).
 * By linearity this is k-means on the neurons' least-squares weights measured
 * through X, so no per-neuron least squares is ever solved. The first
 * centroid is drawn among parent 0's neurons, as in the reference code.
 */
export function kMeansGrouping(kmeans: KMeansOptions, start: GroupingStart = 'farthest-point'): HiddenLayerGrouping {
  return async ({ system, targets, weights, width, parentWidths, random }) => {
    // FedAvg's matching, right when the parents started from one model.
    const initial = start === 'index' && parentWidths.every((w) => w === width) ? indexAssignment(parentWidths) : null;
    const coordinates = system.fittedCoordinates(targets);
    let values: Float32Array;
    try {
      values = (await coordinates.data()) as Float32Array;
    } finally {
      coordinates.dispose();
    }
    const result = await weightedKMeans(
      { values, count: weights.length, dimension: system.coordinateDimension, weights },
      width,
      kmeans,
      random,
      parentWidths[0],
      initial,
    );
    return {
      assignment: result.assignment,
      grouping: 'kmeans',
      kmeans: {
        cost: result.cost,
        iterations: result.iterations,
        restarts: result.runs.length,
        bestRestart: result.bestRestart,
        restartCosts: result.runs.map((r) => r.cost),
        emptyClustersRepaired: result.emptyClustersRepaired,
      },
    };
  };
}

/**
 * KF-linear fusion of any number of parents (widths may differ between
 * parents and from the target). `calibration` holds N input samples,
 * row-major. Options other than the method are optional (see FusionOptions).
 */
export async function fuseKMeansLinear(
  parents: readonly Network[],
  calibration: Float32Array,
  options: Omit<FusionOptions, 'method'> = {},
): Promise<FusionResult> {
  return fuseKMeans(parents, calibration, options, 'kf-linear');
}

/**
 * KF-gradient (method.md): KF-linear's grouping, with every relu level
 * trained toward its groups' post-relu targets and the head distilled toward
 * the parents' averaged softened probabilities, level by level with held-out
 * early stopping (gradient-level.ts). Same inputs as fuseKMeansLinear, plus
 * `options.gradient`.
 */
export async function fuseKMeansGradient(
  parents: readonly Network[],
  calibration: Float32Array,
  options: Omit<FusionOptions, 'method'> = {},
): Promise<FusionResult> {
  return fuseKMeans(parents, calibration, options, 'kf-gradient');
}

async function fuseKMeans(parents: readonly Network[], calibration: Float32Array, options: Omit<FusionOptions, 'method'>, method: 'kf-linear' | 'kf-gradient'): Promise<FusionResult> {
  const started = performance.now();
  const { samples, resolved } = resolveNeuronFusionInputs(parents, calibration, { ...options, method });
  const importances = await resolveImportances(parents, resolved.importances, resolved.importanceSource, calibration, samples);
  const fused = await fuseNeuronLevels(parents, calibration, samples, resolved, importances, kMeansGrouping(resolved.kmeans, resolved.groupingStart));
  const { network, report: outputCalibration } = await calibrateOutput(fused.network, parents, calibration, samples, resolved);
  const levels = fused.levels;
  return {
    network,
    report: {
      method,
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
