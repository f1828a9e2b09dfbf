export {
  type CreateSessionOptions,
  createSession,
  prepareSessionModel,
  SESSION_TENSOR_LOCATION_PREFIX,
  SESSION_WEIGHTS_LOCATION,
} from './create-session.js';
export {
  type DeterminismOptions,
  deterministicSessionOptions,
  mergeSessionOptions,
} from './deterministic-session-options.js';
export type { OrtModule } from './ort-module.js';
