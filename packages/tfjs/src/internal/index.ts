// @reprokit/tfjs/internal: what sibling reprokit packages (@reprokit/tfjs-onnx) share with this
// one and users should not need. Not public: no semver promise, it may change in any release.
export { type CheckpointWeight, checkpointWeights } from '../checkpoint/checkpoint-weight-names.js';
export { autoLayerBaseName } from '../checkpoint/structural-names.js';
