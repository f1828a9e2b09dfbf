export * from './bad-input/corpus-case.js';
export { corpusCases } from './bad-input/corpus-cases.js';
export { readCorpusCase } from './bad-input/read-corpus-case.js';
export { deterministicFill } from './fixtures/deterministic-fill.js';
export {
  KILL_TEST_SPEC,
  type LargeCheckpointSpec,
  largeCheckpointPair,
} from './fixtures/large-checkpoint.js';
export { onnxTemplate } from './fixtures/onnx-template.js';
export { smallCheckpoint, smallSafetensors } from './fixtures/small-checkpoint.js';
export { type SmallOnnx, smallOnnx } from './fixtures/small-onnx.js';
export { smallTfjsFiles, type TfjsFiles } from './fixtures/small-tfjs.js';
export { fuzzFolder } from './fuzz/fuzz-folder.js';
export { CI_FUZZ_SEED, fuzzTestSettings } from './fuzz/fuzz-settings.js';
export * from './fuzz/fuzz-targets.js';
export * from './fuzz/run-fuzz.js';
export { type CheckpointState, classifyCheckpoint } from './kill/checkpoint-state.js';
export { type ConcurrentRound, runConcurrentSaves } from './kill/concurrent-saves.js';
export * from './kill/kill-campaign.js';
export { killTestSettings } from './kill/kill-test-settings.js';
export * from './kill/save-formats.js';
export * from './kill/save-worker-process.js';
export * from './mutation/byte-mutation.js';
export * from './mutation/file-set-mutation.js';
export * from './mutation/json-token-mutation.js';
export { sampleChecksum } from './scale/sample-checksum.js';
export { type SparseTensor, writeSparseSafetensors } from './scale/sparse-safetensors.js';
