import { deriveSeed, type JsonValue, type SeedControl } from '@reprokit/core';
import { OnnxError } from '../errors/onnx-error.js';

/** State of `onnxSeedControl()`: its seed (null when unseeded) and sessions made since. */
export interface OnnxSeedState {
  readonly seed: number | null;
  readonly sessions: number;
}

interface ActiveControl {
  readonly state: () => OnnxSeedState;
  readonly nextSessionSeed: () => number | undefined;
}

// The controls seeded in this process, most recent last. `createSession` asks the top one.
// A stack (not one slot) so that releasing an inner scope hands back the outer one's seed.
const active: ActiveControl[] = [];

/**
 * The seed `createSession` stamps on random nodes when it is given none: derived from the
 * most recently seeded live `onnxSeedControl()` and its session count, which advances.
 * `undefined` when no control is seeded. Each call counts as one session.
 *
 * @example
 * const seed = nextSessionSeed();
 * const model = seed === undefined ? onnx : applySeeds(onnx, seed).model;
 */
export function nextSessionSeed(): number | undefined {
  return active.at(-1)?.nextSessionSeed();
}

/**
 * A `SeedControl` for ONNX Runtime. ORT's JS API has no global seed, so this control does not
 * patch ORT: `seed(s)` stores the seed, and every later `createSession(ort, model)` without
 * its own `seed` stamps `seed` attributes on the model's random nodes (see `applySeeds`),
 * derived from `deriveSeed(s, String(n))` for the n-th session. Two processes making the same
 * sessions in the same order then get the same random outputs.
 *
 * `snapshot()` is `{ seed, sessions }`; `restore()` puts both back, so the next session gets
 * the seeds it would have had. Within a session, a seeded ORT node advances on every `run()`;
 * a new session starts its stream again. `release()` stops stamping.
 *
 * @example
 * const scope = seedEverything(42, { controls: [onnxSeedControl()] });
 * const session = await createSession(ort, 'model.onnx'); // random nodes now seeded
 * scope.release();
 */
export function onnxSeedControl(): SeedControl {
  let seed: number | null = null;
  let sessions = 0;
  const entry: ActiveControl = {
    state: () => ({ seed, sessions }),
    nextSessionSeed: () => {
      if (seed === null) return undefined;
      return deriveSeed(seed, String(sessions++));
    },
  };
  const activate = () => {
    const index = active.indexOf(entry);
    if (index >= 0) active.splice(index, 1);
    active.push(entry);
  };
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
      activate();
    },
    snapshot(): JsonValue {
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
      if (seed === null) release();
      else activate();
    },
    release,
  };

  function release() {
    const index = active.indexOf(entry);
    if (index >= 0) active.splice(index, 1);
  }
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
