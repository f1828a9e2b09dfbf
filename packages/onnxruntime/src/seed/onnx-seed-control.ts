import { deriveSeed, type JsonValue, type SeedControl } from '@reprokit/core';
import { OnnxError } from '../errors/onnx-error.js';

/** State of an `onnxSeedControl()`: its seed (null when unseeded) and sessions made since. */
export type OnnxSeedState = {
  readonly seed: number | null;
  readonly sessions: number;
};

/**
 * The `SeedControl` of ONNX Runtime random nodes, handed to `createSession` as its `seed`
 * option: each session it seeds takes the next per-session seed.
 */
export interface OnnxSeedControl extends SeedControl {
  /**
   * The seed of the next session, `deriveSeed(seed, String(n))` for the n-th one, and count it;
   * `undefined` (nothing counted) while the control is unseeded or released.
   */
  nextSessionSeed(): number | undefined;
  snapshot(): OnnxSeedState;
  restore(state: JsonValue): void;
  release(): void;
}

/**
 * A `SeedControl` for ONNX Runtime. ORT's JS API has no global seed, so this control patches
 * nothing: `seed(s)` stores the seed, and every `createSession(ort, model, { seed: control })`
 * stamps `seed` attributes on the model's random nodes (see `applySeeds`) with the control's
 * next per-session seed, `deriveSeed(s, String(n))` for the n-th session. Two processes making
 * the same sessions in the same order then get the same random outputs. The state lives in the
 * control object, not in the module, so two copies of this package cannot mix their seeds.
 *
 * `snapshot()` is `{ seed, sessions }`; `restore()` puts both back, so the next session gets
 * the seeds it would have had. Within a session, a seeded ORT node advances on every `run()`;
 * a new session starts its stream again. After `release()`, sessions are not seeded.
 *
 * @example
 * const onnx = onnxSeedControl();
 * const scope = seedEverything(42, { controls: [onnx] });
 * const session = await createSession(ort, modelBytes, { seed: onnx }); // random nodes seeded
 * scope.release();
 */
export function onnxSeedControl(): OnnxSeedControl {
  let seed: number | null = null;
  let sessions = 0;
  return {
    name: 'onnxruntime',
    seed(value: number) {
      if (!Number.isInteger(value) || value <= 0 || value > 0xffffffff) {
        throw new OnnxError({
          code: 'ONNX_SEED_INVALID',
          message: `seed must be a uint32 other than 0, got ${String(value)}`,
        });
      }
      seed = value;
      sessions = 0;
    },
    nextSessionSeed() {
      if (seed === null) return undefined;
      return deriveSeed(seed, String(sessions++));
    },
    snapshot() {
      return { seed, sessions };
    },
    restore(state: JsonValue) {
      if (!isOnnxSeedState(state)) {
        throw new OnnxError({
          code: 'ONNX_SEED_STATE_INVALID',
          message: `not an onnxruntime seed state: ${JSON.stringify(state)}`,
        });
      }
      seed = state.seed;
      sessions = state.sessions;
    },
    release() {
      seed = null;
      sessions = 0;
    },
  };
}

/** Whether a `createSession` seed option is a control rather than a fixed seed. */
export function isOnnxSeedControl(value: unknown): value is OnnxSeedControl {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as OnnxSeedControl).nextSessionSeed === 'function'
  );
}

function isOnnxSeedState(state: JsonValue): state is { seed: number | null; sessions: number } {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return false;
  const { seed, sessions } = state;
  return (
    (seed === null ||
      (typeof seed === 'number' && Number.isInteger(seed) && seed > 0 && seed <= 0xffffffff)) &&
    typeof sessions === 'number' &&
    Number.isInteger(sessions) &&
    sessions >= 0
  );
}
