import type { JsonValue } from '../json-value.js';
import { deriveSeed } from './derive-seed.js';
import { readEnvironmentSeed, SEED_ENVIRONMENT_VARIABLE } from './environment-seed.js';
import { MATH_RANDOM_CONTROL_NAME, mathRandomSeedControl } from './math-random-seed-control.js';
import { assertRootSeed, type RootSeed } from './root-seed.js';
import type { SeedControl } from './seed-control.js';
import { describeValue, SeedError } from './seed-error.js';

/** Every control's state plus the root seed: JSON-serialisable, from `SeedScope.snapshot()`. */
// A type alias rather than an interface, so that a snapshot is assignable to JsonValue.
export type SeedSnapshot = {
  root: RootSeed;
  controls: { [name: string]: JsonValue };
};

export interface SeedEverythingOptions {
  /**
   * Sources of randomness to seed besides `Math.random` (e.g. a tfjs or ONNX Runtime
   * control). A control named `math-random` here replaces the built-in one.
   */
  controls?: readonly SeedControl[];
}

/** What `seedEverything` returns: the seeded controls, until `release()`. */
export interface SeedScope {
  /** The root seed every control's seed was derived from. */
  readonly root: RootSeed;
  /** The seeded controls, `math-random` first unless given in `controls`. */
  readonly controls: readonly SeedControl[];
  /** True after `release()` (or after a later `seedEverything` released this scope). */
  readonly released: boolean;
  /** Captures every control's state. Throws `SEED_UNSUPPORTED` for a control without `snapshot`. */
  snapshot(): SeedSnapshot;
  /**
   * Puts every control back to `snapshot`, so that the next draws equal those an
   * uninterrupted run would have made. All or nothing: on a snapshot of another root or set of
   * controls (`SEED_SNAPSHOT_MISMATCH`), a malformed one (`SEED_INVALID_SNAPSHOT`) or a state a
   * control refuses (`SEED_INVALID_SNAPSHOT`, naming the control) no control is changed.
   */
  restore(snapshot: SeedSnapshot): void;
  /** Undoes every control's patches (in reverse order). Safe to call twice. */
  release(): void;
}

let activeScope: SeedScope | undefined;

/**
 * Seeds `Math.random` and every given control from one root seed, and returns a scope that
 * can `snapshot()`, `restore()` and `release()` them.
 *
 * Each control gets `deriveSeed(root, control.name)`, and the root itself in a second argument
 * (`{ root }`) for controls that must be seeded as another program was (see `SeedContext`). Without a `seed` argument the root comes
 * from `REPROKIT_SEED`; with neither it throws `SEED_MISSING` (never a silent random seed).
 * There is one active scope per copy of this module: calling `seedEverything` again releases
 * the earlier scope first (after checking the new arguments, so bad input changes nothing).
 * Bad seeds throw `SEED_INVALID`; unnamed or duplicate controls `SEED_INVALID_CONTROL`; a
 * control that throws while seeded `SEED_CONTROL_FAILED`, after releasing the others.
 *
 * @example
 * const scope = seedEverything(42, { controls: [tfjsSeedControl(tf)] });
 * const saved = JSON.stringify(scope.snapshot());
 * // ... later, or in another process:
 * seedEverything(42, { controls: [tfjsSeedControl(tf)] }).restore(JSON.parse(saved));
 */
export function seedEverything(seed?: RootSeed, options: SeedEverythingOptions = {}): SeedScope {
  const root = resolveRoot(seed);
  const controls = checkControls(options.controls ?? []);
  activeScope?.release();

  const seeded: SeedControl[] = [];
  for (const control of controls) {
    try {
      control.seed(deriveSeed(root, control.name), { root });
      seeded.push(control);
    } catch (cause) {
      seeded.push(control);
      releaseAll(seeded);
      throw new SeedError({
        code: 'SEED_CONTROL_FAILED',
        message: `seed() threw: ${messageOf(cause)}`,
        control: control.name,
        cause,
      });
    }
  }
  const scope = createScope(root, controls);
  activeScope = scope;
  return scope;
}

/**
 * The scope of the last `seedEverything` call, or `undefined` once it is released.
 *
 * @example
 * seedEverything(42);
 * currentSeedScope()?.root; // 42
 */
export function currentSeedScope(): SeedScope | undefined {
  return activeScope;
}

/**
 * Seeds like `seedEverything(snapshot.root, options)` and then restores `snapshot`: the way
 * to resume in a fresh process. If the snapshot does not fit, the new scope is released
 * before the error is thrown, so nothing stays patched.
 *
 * @example
 * const scope = restoreSeeds(JSON.parse(readFileSync('seeds.json', 'utf8')));
 * Math.random(); // the draw the interrupted run would have made next
 */
export function restoreSeeds(
  snapshot: SeedSnapshot,
  options: SeedEverythingOptions = {},
): SeedScope {
  const checked = checkSnapshot(snapshot);
  const scope = seedEverything(checked.root, options);
  try {
    scope.restore(checked);
  } catch (error) {
    scope.release();
    throw error;
  }
  return scope;
}

function resolveRoot(seed: unknown): RootSeed {
  if (seed !== undefined) {
    assertRootSeed(seed);
    return seed;
  }
  const fromEnvironment = readEnvironmentSeed();
  if (fromEnvironment === undefined) {
    throw new SeedError({
      code: 'SEED_MISSING',
      message: `no seed given and ${SEED_ENVIRONMENT_VARIABLE} is not set; pass a seed (reprokit never picks a random one)`,
    });
  }
  return fromEnvironment;
}

function checkControls(extra: readonly SeedControl[]): SeedControl[] {
  if (!Array.isArray(extra)) {
    throw new SeedError({
      code: 'SEED_INVALID_CONTROL',
      message: `options.controls must be an array; got ${describeValue(extra)}`,
    });
  }
  const names = new Set<string>();
  extra.forEach((control: unknown, index) => {
    const candidate = control as Partial<SeedControl> | null;
    const name = typeof candidate === 'object' && candidate !== null ? candidate.name : undefined;
    if (typeof name !== 'string' || name.length === 0) {
      throw new SeedError({
        code: 'SEED_INVALID_CONTROL',
        message: `options.controls[${index}] needs a non-empty string name; got ${describeValue(name)}`,
      });
    }
    if (typeof candidate?.seed !== 'function') {
      throw new SeedError({
        code: 'SEED_INVALID_CONTROL',
        message: `options.controls[${index}] has no seed() method`,
        control: name,
      });
    }
    if (names.has(name)) {
      throw new SeedError({
        code: 'SEED_INVALID_CONTROL',
        message: `options.controls has two controls with this name; names must be unique`,
        control: name,
      });
    }
    names.add(name);
  });
  return names.has(MATH_RANDOM_CONTROL_NAME) ? [...extra] : [mathRandomSeedControl(), ...extra];
}

function createScope(root: RootSeed, controls: readonly SeedControl[]): SeedScope {
  let released = false;
  const assertLive = (action: string) => {
    if (released) {
      throw new SeedError({
        code: 'SEED_SCOPE_RELEASED',
        message: `${action}() on a released scope (root ${describeValue(root)})`,
      });
    }
  };

  const scope: SeedScope = {
    root,
    controls,
    get released() {
      return released;
    },
    snapshot() {
      assertLive('snapshot');
      const states: { [name: string]: JsonValue } = {};
      for (const control of controls) states[control.name] = snapshotOf(control);
      return { root, controls: states };
    },
    restore(snapshot: SeedSnapshot) {
      assertLive('restore');
      const checked = checkSnapshot(snapshot);
      if (checked.root !== root) {
        throw new SeedError({
          code: 'SEED_SNAPSHOT_MISMATCH',
          message: `snapshot root ${describeValue(checked.root)} differs from this scope's root ${describeValue(root)}`,
        });
      }
      const known = new Set(controls.map((control) => control.name));
      for (const control of controls) {
        if (!Object.hasOwn(checked.controls, control.name)) {
          throw new SeedError({
            code: 'SEED_SNAPSHOT_MISMATCH',
            message: 'the snapshot has no state for this control (taken with other controls?)',
            control: control.name,
          });
        }
        if (typeof control.restore !== 'function') {
          throw new SeedError({
            code: 'SEED_UNSUPPORTED',
            message: 'this control cannot restore a state (it has no restore())',
            control: control.name,
          });
        }
      }
      for (const name of Object.keys(checked.controls)) {
        if (!known.has(name)) {
          throw new SeedError({
            code: 'SEED_SNAPSHOT_MISMATCH',
            message: 'the snapshot has state for this control, which this scope does not have',
            control: name,
          });
        }
      }
      // Each control's current state, so that a refused state rolls the others back.
      const before = controls.map((control) => snapshotOf(control));
      controls.forEach((control, index) => {
        try {
          control.restore?.(checked.controls[control.name] as JsonValue);
        } catch (cause) {
          for (let undo = index; undo >= 0; undo--) {
            controls[undo]?.restore?.(before[undo] as JsonValue);
          }
          throw new SeedError({
            code: 'SEED_INVALID_SNAPSHOT',
            message: `the control refused its state in the snapshot: ${messageOf(cause)}`,
            control: control.name,
            cause,
          });
        }
      });
    },
    release() {
      if (released) return;
      released = true;
      if (activeScope === scope) activeScope = undefined;
      releaseAll(controls);
    },
  };
  return scope;
}

function snapshotOf(control: SeedControl): JsonValue {
  if (typeof control.snapshot !== 'function') {
    throw new SeedError({
      code: 'SEED_UNSUPPORTED',
      message: 'this control cannot capture its state (it has no snapshot())',
      control: control.name,
    });
  }
  try {
    return control.snapshot();
  } catch (cause) {
    throw new SeedError({
      code: 'SEED_CONTROL_FAILED',
      message: `snapshot() threw: ${messageOf(cause)}`,
      control: control.name,
      cause,
    });
  }
}

/** Releases in reverse order; every control is released even if one throws. */
function releaseAll(controls: readonly SeedControl[]): void {
  let failure: SeedError | undefined;
  for (const control of [...controls].reverse()) {
    try {
      control.release?.();
    } catch (cause) {
      failure ??= new SeedError({
        code: 'SEED_CONTROL_FAILED',
        message: `release() threw: ${messageOf(cause)}`,
        control: control.name,
        cause,
      });
    }
  }
  if (failure) throw failure;
}

function checkSnapshot(snapshot: unknown): SeedSnapshot {
  const fail = (problem: string): never => {
    throw new SeedError({
      code: 'SEED_INVALID_SNAPSHOT',
      message: `not a snapshot from SeedScope.snapshot(): ${problem}`,
    });
  };
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
    return fail(`expected an object { root, controls }, got ${describeValue(snapshot)}`);
  }
  const record = snapshot as Record<string, unknown>;
  try {
    assertRootSeed(record.root, 'snapshot root');
  } catch (cause) {
    return fail(messageOf(cause));
  }
  const controls = record.controls;
  if (typeof controls !== 'object' || controls === null || Array.isArray(controls)) {
    return fail(
      `"controls" must be an object of states by control name, got ${describeValue(controls)}`,
    );
  }
  return snapshot as SeedSnapshot;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
