import { afterEach, describe, expect, it } from 'vitest';
import { ReprokitError } from '../errors/index.js';
import type { JsonValue } from '../json-value.js';
import { deriveSeed } from './derive-seed.js';
import { mathRandomSeedControl } from './math-random-seed-control.js';
import { createRng, parseRngState, type Rng, restoreRng } from './rng.js';
import type { SeedControl } from './seed-control.js';
import {
  currentSeedScope,
  restoreSeeds,
  type SeedSnapshot,
  seedEverything,
} from './seed-everything.js';

const native = Math.random;
// Environment variables exist in Node only; in a browser the tests that set one are skipped.
const environment = (globalThis as { process?: { env: Record<string, string | undefined> } })
  .process?.env;
const inNode = environment !== undefined;
afterEach(() => {
  currentSeedScope()?.release();
  Math.random = native;
  if (environment !== undefined) delete environment.REPROKIT_SEED;
});

/** A control over its own Rng, recording what it was asked to do. */
function fakeControl(name: string) {
  let rng: Rng | undefined;
  const control = {
    name,
    seeds: [] as number[],
    releases: 0,
    draw: () => rng?.next() ?? Number.NaN,
    seed(seed: number) {
      control.seeds.push(seed);
      rng = createRng(seed);
    },
    snapshot: (): JsonValue => ({ ...rng!.state() }),
    restore(state: JsonValue) {
      rng = restoreRng(parseRngState(state, name));
    },
    release() {
      control.releases++;
      rng = undefined;
    },
  };
  return control;
}

function errorOf(fn: () => unknown): ReprokitError {
  try {
    fn();
  } catch (error) {
    if (ReprokitError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

const draws = (count: number) => Array.from({ length: count }, () => Math.random());

describe('seedEverything', () => {
  it('gives identical Math.random sequences for two runs with seed 42', () => {
    seedEverything(42);
    const first = draws(1000);
    seedEverything(42);
    const second = draws(1000);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(1000);
    const expected = createRng(deriveSeed(42, 'math-random'));
    expect(first.slice(0, 3)).toEqual([expected.next(), expected.next(), expected.next()]);
  });

  it('gives different sequences for different roots, and for 42 vs "42"', () => {
    seedEverything(42);
    const a = draws(3);
    seedEverything(43);
    const b = draws(3);
    seedEverything('42');
    const c = draws(3);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('gives back the original Math.random function on release', () => {
    const scope = seedEverything(42);
    expect(Math.random).not.toBe(native);
    scope.release();
    expect(Math.random).toBe(native);
    expect(scope.released).toBe(true);
    expect(currentSeedScope()).toBeUndefined();
    scope.release();
    expect(Math.random).toBe(native);
  });

  it('seeds every control with deriveSeed(root, name) and releases them in reverse order', () => {
    const order: string[] = [];
    const tfjs = fakeControl('tfjs');
    const onnx = fakeControl('onnxruntime');
    tfjs.release = () => void order.push('tfjs');
    onnx.release = () => void order.push('onnxruntime');
    const scope = seedEverything('run-a', { controls: [tfjs, onnx] });
    expect(tfjs.seeds).toEqual([deriveSeed('run-a', 'tfjs')]);
    expect(onnx.seeds).toEqual([deriveSeed('run-a', 'onnxruntime')]);
    expect(scope.controls.map((control) => control.name)).toEqual([
      'math-random',
      'tfjs',
      'onnxruntime',
    ]);
    scope.release();
    expect(order).toEqual(['onnxruntime', 'tfjs']);
    expect(Math.random).toBe(native);
  });

  it('releases the earlier scope when called again', () => {
    const tfjs = fakeControl('tfjs');
    const first = seedEverything(1, { controls: [tfjs] });
    const second = seedEverything(2);
    expect(first.released).toBe(true);
    expect(tfjs.releases).toBe(1);
    expect(currentSeedScope()).toBe(second);
    expect(Math.random()).toBe(createRng(deriveSeed(2, 'math-random')).next());
    second.release();
    expect(Math.random).toBe(native);
  });

  it('uses a math-random control given in controls instead of the built-in one', () => {
    const own = mathRandomSeedControl();
    const scope = seedEverything(3, { controls: [own] });
    expect(scope.controls).toEqual([own]);
    expect(Math.random()).toBe(createRng(deriveSeed(3, 'math-random')).next());
  });

  it.runIf(inNode)(
    'reads REPROKIT_SEED when called without a seed (Node only: browsers have no environment)',
    () => {
      environment!.REPROKIT_SEED = '42';
      expect(seedEverything().root).toBe(42);
      const fromEnvironment = draws(5);
      seedEverything(42);
      expect(draws(5)).toEqual(fromEnvironment);
      environment!.REPROKIT_SEED = 'run-b';
      expect(seedEverything().root).toBe('run-b');
    },
  );

  it('throws SEED_MISSING with neither a seed nor REPROKIT_SEED, and patches nothing', () => {
    const error = errorOf(() => seedEverything());
    expect(error.code).toBe('SEED_MISSING');
    expect(error.message).toContain('REPROKIT_SEED is not set');
    expect(Math.random).toBe(native);
  });

  it.each([
    [Number.NaN, 'NaN (number)'],
    [-1, '-1 (number)'],
    [0.5, '0.5 (number)'],
    [2 ** 32, '4294967296 (number)'],
    ['', 'an empty string'],
    [{}, 'a value of type object'],
  ])('rejects the seed %s with SEED_INVALID, leaving an earlier scope alone', (seed, shown) => {
    const earlier = seedEverything(9);
    const error = errorOf(() => seedEverything(seed as never));
    expect(error.code).toBe('SEED_INVALID');
    expect(error.message).toContain(shown);
    expect(earlier.released).toBe(false);
    expect(currentSeedScope()).toBe(earlier);
  });

  it.runIf(inNode)(
    'rejects a bad REPROKIT_SEED naming the variable (Node only: browsers have no environment)',
    () => {
      environment!.REPROKIT_SEED = '-5';
      const error = errorOf(() => seedEverything());
      expect(error.code).toBe('SEED_INVALID');
      expect(error.message).toContain('REPROKIT_SEED');
    },
  );

  it('rejects unnamed, seedless and duplicate controls with SEED_INVALID_CONTROL', () => {
    const unnamed = errorOf(() => seedEverything(1, { controls: [{ name: '', seed() {} }] }));
    expect(unnamed.code).toBe('SEED_INVALID_CONTROL');
    expect(unnamed.message).toContain('options.controls[0] needs a non-empty string name');
    const seedless = errorOf(() =>
      seedEverything(1, { controls: [{ name: 'x' } as unknown as SeedControl] }),
    );
    expect(seedless.message).toContain('control "x": options.controls[0] has no seed() method');
    const duplicate = errorOf(() =>
      seedEverything(1, { controls: [fakeControl('tfjs'), fakeControl('tfjs')] }),
    );
    expect(duplicate.code).toBe('SEED_INVALID_CONTROL');
    expect(duplicate.message).toContain('control "tfjs"');
    expect(Math.random).toBe(native);
  });

  it('releases what it seeded when a control throws in seed(), naming the control', () => {
    const tfjs = fakeControl('tfjs');
    const broken: SeedControl = {
      name: 'broken',
      seed() {
        throw new Error('no backend');
      },
    };
    const error = errorOf(() => seedEverything(1, { controls: [tfjs, broken] }));
    expect(error.code).toBe('SEED_CONTROL_FAILED');
    expect(error.message).toContain('control "broken": seed() threw: no backend');
    expect(tfjs.releases).toBe(1);
    expect(Math.random).toBe(native);
    expect(currentSeedScope()).toBeUndefined();
  });
});

describe('SeedScope snapshot and restore', () => {
  it('takes a JSON-serialisable snapshot of every control', () => {
    const scope = seedEverything(42, { controls: [fakeControl('tfjs')] });
    // Typed as JsonValue without a cast: a snapshot can go straight into checkpoint metadata.
    const snapshot: JsonValue & SeedSnapshot = scope.snapshot();
    expect(Object.keys(snapshot)).toEqual(['root', 'controls']);
    expect(snapshot.root).toBe(42);
    expect(Object.keys(snapshot.controls)).toEqual(['math-random', 'tfjs']);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.controls['math-random']).toEqual(
      createRng(deriveSeed(42, 'math-random')).state(),
    );
    // The example in docs/seeds.md.
    expect(JSON.stringify(seedEverything(42).snapshot())).toBe(
      '{"root":42,"controls":{"math-random":{"algorithm":"tychei","a":1535398548,"b":-585209173,"c":140823211,"d":-1408322213}}}',
    );
  });

  it('resumes every control exactly where the snapshot was taken', () => {
    const tfjs = fakeControl('tfjs');
    const scope = seedEverything(42, { controls: [tfjs] });
    draws(7);
    tfjs.draw();
    const saved = JSON.stringify(scope.snapshot());
    const expected = { math: draws(5), tfjs: [tfjs.draw(), tfjs.draw()] };

    scope.restore(JSON.parse(saved) as SeedSnapshot);
    expect(draws(5)).toEqual(expected.math);
    expect([tfjs.draw(), tfjs.draw()]).toEqual(expected.tfjs);
  });

  it('restoreSeeds resumes in a new scope with fresh controls', () => {
    const scope = seedEverything('job-7', { controls: [fakeControl('tfjs')] });
    draws(3);
    const saved = JSON.stringify(scope.snapshot());
    const expected = draws(4);
    scope.release();

    const tfjs = fakeControl('tfjs');
    const resumed = restoreSeeds(JSON.parse(saved) as SeedSnapshot, { controls: [tfjs] });
    expect(resumed.root).toBe('job-7');
    expect(draws(4)).toEqual(expected);
    resumed.release();
    expect(Math.random).toBe(native);
  });

  describe('a snapshot that does not fit changes nothing', () => {
    function setUp() {
      const tfjs = fakeControl('tfjs');
      const scope = seedEverything(42, { controls: [tfjs] });
      draws(2);
      const good = scope.snapshot();
      draws(3);
      // What both sources would draw next if nothing changed them.
      const state = scope.snapshot();
      const mathNext = restoreRng(parseRngState(state.controls['math-random'])).next();
      const tfjsNext = restoreRng(parseRngState(state.controls.tfjs)).next();
      const expectUnchanged = () => {
        expect(Math.random()).toBe(mathNext);
        expect(tfjs.draw()).toBe(tfjsNext);
      };
      return { scope, good, expectUnchanged };
    }

    it('another root: SEED_SNAPSHOT_MISMATCH', () => {
      const { scope, good, expectUnchanged } = setUp();
      const error = errorOf(() => scope.restore({ ...good, root: 43 }));
      expect(error.code).toBe('SEED_SNAPSHOT_MISMATCH');
      expect(error.message).toContain(
        "snapshot root 43 (number) differs from this scope's root 42",
      );
      expectUnchanged();
    });

    it('a control missing from the snapshot: SEED_SNAPSHOT_MISMATCH naming it', () => {
      const { scope, good, expectUnchanged } = setUp();
      const { tfjs: _, ...withoutTfjs } = good.controls;
      const error = errorOf(() => scope.restore({ root: 42, controls: withoutTfjs }));
      expect(error.code).toBe('SEED_SNAPSHOT_MISMATCH');
      expect(error.message).toContain('control "tfjs": the snapshot has no state for this control');
      expectUnchanged();
    });

    it('an extra control in the snapshot: SEED_SNAPSHOT_MISMATCH naming it', () => {
      const { scope, good, expectUnchanged } = setUp();
      const controls = { ...good.controls, onnxruntime: null };
      const error = errorOf(() => scope.restore({ root: 42, controls }));
      expect(error.code).toBe('SEED_SNAPSHOT_MISMATCH');
      expect(error.message).toContain('control "onnxruntime"');
      expectUnchanged();
    });

    it('a corrupted state of the last control: the first control is rolled back', () => {
      const { scope, good, expectUnchanged } = setUp();
      const controls = { ...good.controls, tfjs: { algorithm: 'tychei', a: 'x' } };
      const error = errorOf(() => scope.restore({ root: 42, controls }));
      expect(error.code).toBe('SEED_INVALID_SNAPSHOT');
      expect(error.message).toContain('control "tfjs": the control refused its state');
      expect(error.cause).toBeInstanceOf(Error);
      expectUnchanged();
    });

    it.each([
      [null, 'expected an object { root, controls }, got null'],
      ['{"root":42}', 'expected an object { root, controls }'],
      [{ controls: {} }, 'snapshot root must be an integer'],
      [{ root: 42, controls: [] }, '"controls" must be an object of states by control name'],
    ])('a malformed snapshot %j: SEED_INVALID_SNAPSHOT', (snapshot, problem) => {
      const { scope, expectUnchanged } = setUp();
      const error = errorOf(() => scope.restore(snapshot as unknown as SeedSnapshot));
      expect(error.code).toBe('SEED_INVALID_SNAPSHOT');
      expect(error.message).toContain(problem);
      expectUnchanged();
    });

    it('restoreSeeds with a refused state releases its new scope: nothing stays patched', () => {
      const { good } = setUp();
      currentSeedScope()?.release();
      const controls = { ...good.controls, 'math-random': { algorithm: 'alea' } };
      const error = errorOf(() =>
        restoreSeeds({ root: 42, controls }, { controls: [fakeControl('tfjs')] }),
      );
      expect(error.code).toBe('SEED_INVALID_SNAPSHOT');
      expect(error.message).toContain('control "math-random"');
      expect(Math.random).toBe(native);
      expect(currentSeedScope()).toBeUndefined();
    });
  });

  it('says which control cannot snapshot or restore (SEED_UNSUPPORTED)', () => {
    const stateless: SeedControl = { name: 'stamps', seed() {} };
    const scope = seedEverything(1, { controls: [stateless] });
    const error = errorOf(() => scope.snapshot());
    expect(error.code).toBe('SEED_UNSUPPORTED');
    expect(error.message).toContain('control "stamps": this control cannot capture its state');
    const snapshotOnly: SeedControl = { name: 'stamps', seed() {}, snapshot: () => null };
    const second = seedEverything(1, { controls: [snapshotOnly] });
    const restoreError = errorOf(() => second.restore(second.snapshot()));
    expect(restoreError.code).toBe('SEED_UNSUPPORTED');
    expect(restoreError.message).toContain('control "stamps": this control cannot restore');
  });

  it('refuses snapshot and restore on a released scope (SEED_SCOPE_RELEASED)', () => {
    const scope = seedEverything(1);
    const snapshot = scope.snapshot();
    scope.release();
    expect(errorOf(() => scope.snapshot()).code).toBe('SEED_SCOPE_RELEASED');
    expect(errorOf(() => scope.restore(snapshot)).code).toBe('SEED_SCOPE_RELEASED');
    expect(Math.random).toBe(native);
  });
});
