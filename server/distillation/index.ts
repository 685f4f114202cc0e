/** Server-side knowledge distillation on the unlabelled calibration set (FedDF's step). */
export { distillEnsemble } from './distill-ensemble.ts';
export { DEFAULT_DISTILLATION_OPTIONS, type DistillationOptions, type DistillationReport } from './distillation-options.ts';
