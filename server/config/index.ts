export * from './server-config.ts';
export { SERVER_OPTIONS } from './server-options.ts';
export { flagOf, helpOf, option, resolveOptions, type OptionSpec, type OptionTable, type OptionValues } from './option-table.ts';
export { RUN_DEFINING_OPTIONS, selectRun, type SelectedRun, type StoredRuns } from './run-selection.ts';
export { initialModelOf, isModelFile, loadInitialModelSource, modelJsonPath, type InitialModelSource, type ModelDataShape } from './initial-model.ts';
export * from './secret-files.ts';
export { VIEWER_OPTIONS, viewerConfigFrom, type ViewerConfig } from './viewer-options.ts';
