/**
 * `fedfuse/fusion`: the fusion math and TF.js model I/O, for fusing models
 * outside a federated run. `fuse(parents, calibration, options)` fuses
 * Networks (weights as typed arrays) with KF-linear, KF-gradient, HF, FedAvg
 * or averaging; the model functions read and write the standard TF.js Layers
 * format (model.json + weights.bin) and build Networks from specs.
 */
export { fuse, FUSION_METHODS, ensembleProbabilities } from '../server/fusion/index.ts';
export type { FusionMethod, FusionOptions, FusionResult, FusionReport } from '../server/fusion/index.ts';
export {
  initNetwork,
  loadNetwork,
  saveNetwork,
  networkFromModelArtifacts,
  networkToModelArtifacts,
  modelFilesIOHandler,
  mlpSpec,
  smallCnnSpec,
  parseArchitecture,
  layerWidths,
  parameterCount,
  validateNetwork,
  MODEL_JSON_FILE_NAME,
  WEIGHTS_FILE_NAME,
} from '../common/model/index.ts';
export type { LayerWeights, LayersModelFiles, ModelSpec, Network, SavedNetworkPaths } from '../common/model/index.ts';
export { initBackend, type BackendName, type BackendPreference } from '../common/backend/index.ts';
export { FedfuseError, isFedfuseError, ERROR_CODES, type ErrorCode } from '../common/errors/index.ts';
