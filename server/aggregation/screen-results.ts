import type { Network } from '../../common/model/network.ts';
import type { FitFailure, FitResult } from '../rounds/strategy.ts';
import type { ScreeningOptions, ScreeningReport, ScreeningRule } from '../screening/index.ts';
import type { FusionExecutor } from './fusion-executor.ts';

/** An update screening kept out of the fusion: a failure of the round, with the rule it broke. */
export interface ScreenedOutUpdate extends FitFailure {
  readonly rule: ScreeningRule;
}

/**
 * Has the executor screen the updates (against the model their clients
 * started from) and splits them by verdict. The metrics keep every
 * measurement per client, so a round's record says why each update was or
 * was not fused.
 */
export async function screenResults(
  executor: FusionExecutor,
  results: readonly FitResult[],
  global: Network,
  options: ScreeningOptions,
): Promise<{ kept: FitResult[]; rejected: ScreenedOutUpdate[]; metrics: Record<string, unknown> }> {
  const report: ScreeningReport = await executor.screen({ updates: results.map((r) => r.network), global, options });
  const kept: FitResult[] = [];
  const rejected: ScreenedOutUpdate[] = [];
  results.forEach((r, k) => {
    const rejection = report.updates[k]!.rejection;
    if (rejection === null) kept.push(r);
    else rejected.push({ clientId: r.clientId, reason: rejection.reason, rule: rejection.rule });
  });
  return {
    kept,
    rejected,
    metrics: {
      enabled: true,
      thresholds: options,
      seconds: report.seconds,
      samples: report.samples,
      globalNorm: finiteOrNull(report.globalNorm),
      medianDistance: finiteOrNull(report.medianDistance),
      relativeRulesApplied: report.relativeRulesApplied,
      rejected,
      updates: results.map((r, k) => {
        const u = report.updates[k]!;
        return {
          clientId: r.clientId,
          distance: finiteOrNull(u.distance),
          distanceToGlobalNorm: finiteOrNull(u.distanceToGlobalNorm),
          distanceRatio: finiteOrNull(u.distanceRatio),
          distanceZ: finiteOrNull(u.distanceZ),
          agreement: finiteOrNull(u.agreement),
          finiteOutputs: u.finiteOutputs,
          rejected: u.rejection?.rule ?? null,
        };
      }),
    },
  };
}

/** Round metrics are JSON: a measurement that does not exist (NaN: no peers to agree with, a zero norm) is recorded as null. */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
