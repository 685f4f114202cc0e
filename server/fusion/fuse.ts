import type { Network } from '../../common/model/network.ts';
import { FedfuseError } from '../../common/errors/index.ts';
import type { FusionOptions } from './fusion-options.ts';
import type { FusionResult } from './fusion-report.ts';
import { fuseHungarian } from './hungarian-fusion.ts';
import { fuseKMeansGradient, fuseKMeansLinear } from './kf-linear.ts';
import { fuseParameterMean } from './parameter-average.ts';
import { fuseOptimalTransport, fuseWeightMatching } from './alignment/index.ts';

/**
 * Fuses parent models into one, by `options.method`. The single entry point
 * for the server's rounds, the CLI and the benchmarks: every method validates
 * its inputs first and throws FedfuseError (shape_mismatch, non_finite,
 * invalid_argument) on bad ones. `calibration` holds N input samples,
 * row-major (N · prod(inputShape) values); the parameter means ignore it.
 * Deterministic for a given seed.
 */
export async function fuse(parents: readonly Network[], calibration: Float32Array, options: FusionOptions): Promise<FusionResult> {
  if (options === null || typeof options !== 'object') throw new FedfuseError('invalid_argument', 'fusion options must be an object');
  const { method, ...rest } = options;
  switch (method) {
    case 'kf-linear':
      return fuseKMeansLinear(parents, calibration, rest);
    case 'kf-gradient':
      return fuseKMeansGradient(parents, calibration, rest);
    case 'hf':
      return fuseHungarian(parents, calibration, rest);
    case 'fedavg':
    case 'average':
      return fuseParameterMean(parents, calibration, { ...options, method });
    case 'ot-fusion':
      return fuseOptimalTransport(parents, calibration, options);
    case 'weight-matching':
      return fuseWeightMatching(parents, calibration, options);
    default:
      throw new FedfuseError('invalid_argument', `unknown fusion method "${String(method)}": use kf-linear, kf-gradient, hf, fedavg, average, ot-fusion or weight-matching`);
  }
}
