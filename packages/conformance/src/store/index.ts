export { type CheckpointState, classifyCheckpoint } from './checkpoint-state.js';
export type {
  CheckpointStoreCapabilities,
  CheckpointStoreCheck,
  CheckpointStoreFixture,
} from './checkpoint-store-fixture.js';
export { type CountingFiles, countingFiles } from './counting-files.js';
export {
  describeCheckpointStore,
  expectSameCheckpoint,
  leftovers,
} from './describe-checkpoint-store.js';
export { collectChunks, encodeInMemory } from './encode-in-memory.js';
