/**
 * Keys reprokit uses in a checkpoint's metadata (a safetensors `__metadata__`) for what a tfjs
 * `model.json` carries besides weights. Values are strings; JSON values are stored as JSON text.
 *
 * - `tfjs.modelTopology`: the Keras-format topology JSON (`model.toJSON(null, false)`).
 * - `tfjs.trainingConfig`: the training config JSON (loss, metrics, optimizer config), if any.
 * - `tfjs.format`, `tfjs.generatedBy`, `tfjs.convertedBy`: as in `model.json` (`convertedBy`
 *   is absent when null).
 * - `tfjs.userDefinedMetadata`: JSON, if the model had any.
 * - `tfjs.weightNames`: JSON object from checkpoint name to the name tfjs saved the weight under
 *   (`{"dense/kernel": "dense_Dense1/kernel"}`), in checkpoint order; lets tfjs' own loaders
 *   find weights by their original names.
 */
export const TFJS_METADATA_KEYS = {
  modelTopology: 'tfjs.modelTopology',
  trainingConfig: 'tfjs.trainingConfig',
  format: 'tfjs.format',
  generatedBy: 'tfjs.generatedBy',
  convertedBy: 'tfjs.convertedBy',
  userDefinedMetadata: 'tfjs.userDefinedMetadata',
  weightNames: 'tfjs.weightNames',
} as const;

/** Prefix of optimizer state in a checkpoint (`optimizer/iter`, `optimizer/dense/kernel/m`). */
export const OPTIMIZER_PREFIX = 'optimizer/';
