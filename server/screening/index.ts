/**
 * Screening of a round's updates before fusion (poisoned or broken models):
 * pure measurements of networks on calibration inputs, and the verdicts the
 * thresholds give. The fusion strategy decides what a verdict means for the round.
 */
export * from './screening-options.ts';
export * from './screening-report.ts';
export * from './screen-updates.ts';
export * from './calibration-predictions.ts';
export * from './ensemble-agreement.ts';
export * from './robust-statistics.ts';
export * from './update-distance.ts';
