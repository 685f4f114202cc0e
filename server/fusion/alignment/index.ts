export { fuseOptimalTransport } from './ot-fusion.ts';
export { fuseWeightMatching, WEIGHT_MATCHING_MAX_SWEEPS } from './weight-matching.ts';
export { permuteChannelSpace, spaceTouches, type SpaceTouch } from './permute-channels.ts';
export { validateAlignedMeanInputs } from './aligned-mean.ts';
