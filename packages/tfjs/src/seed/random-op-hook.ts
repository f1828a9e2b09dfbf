import type { MathRandomRedirect } from './math-random-redirect.js';
import type { PropertyPatches } from './property-patches.js';
import { isRandomOpScope } from './random-op-names.js';

interface ScopedEngine {
  startScope(name?: string): void;
  endScope(result?: unknown): void;
}

/**
 * Hooks the tfjs engine so that `Math.random` answers from `random` while a random op runs.
 *
 * Every tfjs op is wrapped by tfjs-core's `op()`, which calls `ENGINE.startScope(name)` and
 * `ENGINE.endScope()` around it, looking both up on the engine instance at call time. Own
 * properties on the engine shadow the prototype methods, so the hook reaches ops called
 * through the frozen `tf` namespace and through tfjs-layers alike; removing the own
 * properties restores the prototype methods exactly. Returns false when the engine has no
 * such methods (an unknown tfjs version).
 */
export function installRandomOpHook(
  patches: PropertyPatches,
  engine: unknown,
  redirect: MathRandomRedirect,
  random: () => number,
): boolean {
  if (typeof engine !== 'object' || engine === null) return false;
  const target = engine as ScopedEngine;
  if (typeof target.startScope !== 'function' || typeof target.endScope !== 'function') {
    return false;
  }
  // One entry per open scope: whether it redirected. tfjs pairs every start with an end.
  const redirected: boolean[] = [];
  const started = patches.replace<ScopedEngine['startScope']>(
    engine,
    'startScope',
    (original) =>
      function startScope(this: ScopedEngine, name?: string): void {
        original.call(this, name);
        const isRandom = isRandomOpScope(name);
        redirected.push(isRandom);
        if (isRandom) redirect.enter(random);
      },
  );
  if (!started) return false;
  const ended = patches.replace<ScopedEngine['endScope']>(
    engine,
    'endScope',
    (original) =>
      function endScope(this: ScopedEngine, result?: unknown): void {
        try {
          original.call(this, result);
        } finally {
          if (redirected.pop() === true) redirect.exit();
        }
      },
  );
  return ended;
}
