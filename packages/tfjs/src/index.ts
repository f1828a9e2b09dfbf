// @reprokit/tfjs: works in any JavaScript environment (browsers, Node, workers) on bytes, Blobs
// and ByteSources. Paths and files are in @reprokit/tfjs/node.
export * from './artifacts/index.js';
export * from './checkpoint/index.js';
export * from './io/index.js';
export type {
  DeterminismAuditMode,
  DeterminismFinding,
  DeterminismFindingKind,
  TfjsSeedControl,
  TfjsSeedControlOptions,
  TfjsSeedErrorCode,
  TfjsSeedSnapshot,
} from './seed/index.js';
export { TfjsSeedError, tfjsSeedControl } from './seed/index.js';
export type { TfjsModule } from './tfjs-module.js';
