import type { Network } from '../../common/model/network.ts';
import { weightedParameterSum } from '../fusion/index.ts';

/**
 * FedNova's normalised averaging (Wang et al. 2020, "Tackling the Objective
 * Inconsistency Problem in Heterogeneous Federated Optimization"), for local
 * training by tau_i steps each: with p_i = n_i / n and tau_eff = sum p_i tau_i,
 *   x <- x + tau_eff * sum_i p_i (y_i - x) / tau_i.
 * Each client's update is divided by its own step count before averaging,
 * so clients that took more steps (more data, same epochs) do not pull the
 * model toward their own optimum; with equal step counts it is FedAvg. The
 * paper's a_i = tau_i is for plain SGD; with momentum or Adam the clients'
 * effective step counts differ, and tau_i (the count they report) is used
 * as is. One weighted sum over [x, y_1..y_k]: the coefficient of x is
 * 1 - tau_eff * sum p_i / tau_i, which is <= 0 (so this is not a mean).
 */
export function fedNovaAverage(global: Network, clients: readonly Network[], numExamples: readonly number[], localSteps: readonly number[]): Network {
  const total = numExamples.reduce((a, b) => a + b, 0);
  const p = numExamples.map((n) => n / total);
  const tauEff = p.reduce((s, pi, i) => s + pi * localSteps[i]!, 0);
  const coefficients = p.map((pi, i) => (tauEff * pi) / localSteps[i]!);
  const globalCoefficient = 1 - coefficients.reduce((a, b) => a + b, 0);
  return weightedParameterSum([global, ...clients], [globalCoefficient, ...coefficients]);
}
