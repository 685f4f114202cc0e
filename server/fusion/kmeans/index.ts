export * from './kmeans-options.ts';
export * from './weighted-points.ts';
export * from './repair-empty-clusters.ts';
export * from './farthest-point-init.ts';
export * from './weighted-kmeans.ts';
