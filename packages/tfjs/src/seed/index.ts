export type {
  DeterminismAuditMode,
  DeterminismFinding,
  DeterminismFindingKind,
} from './determinism-audit.js';
export { isRandomOpScope, RANDOM_OP_SCOPES } from './random-op-names.js';
export type { StreamName, TfjsSeedSnapshot } from './seed-streams.js';
export {
  type TfjsSeedControl,
  type TfjsSeedControlOptions,
  tfjsSeedControl,
} from './tfjs-seed-control.js';
export { TfjsSeedError, type TfjsSeedErrorCode } from './tfjs-seed-error.js';
