/** The `fedfuse fuse` command's pieces: flags to request, inputs, fusion and the accuracy table. */
export * from './fuse-request.ts';
export * from './load-parent-models.ts';
export * from './model-input-data.ts';
export * from './ensemble-accuracy.ts';
export * from './accuracy-table.ts';
export * from './run-fuse.ts';
