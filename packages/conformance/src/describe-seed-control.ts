import {
  currentSeedScope,
  deriveSeed,
  type JsonValue,
  ReprokitError,
  type SeedControl,
  seedEverything,
} from '@reprokit/core';
import { afterEach, describe, expect, it } from 'vitest';

/** What a runtime's test file provides to `describeSeedControl`, made fresh for every test. */
export interface SeedControlFixture<C extends SeedControl = SeedControl> {
  /** A new, unseeded control. */
  readonly control: C;
  /**
   * Draws a few numbers (at least two) from the source of randomness the control fixes, the
   * way user code would: `Math.random()` calls, values of `tf.randomUniform([4])`, outputs of
   * an ONNX session with a RandomUniform node. Each call must advance the source.
   */
  draw(control: C): number[] | Promise<number[]>;
  /**
   * The value the control patches, compared by identity before `seed` and after `release`
   * (e.g. `() => Math.random`). Without it, release is checked by behaviour only.
   */
  patchedValue?(): unknown;
  /** Frees what the fixture made (sessions, tensors); runs after the control is released. */
  dispose?(): void | Promise<void>;
}

/** The checks the suite runs; any can be skipped with a written reason through `skip`. */
export type SeedControlCheck =
  | 'same-seed-same-draws'
  | 'reseed-restarts'
  | 'different-seeds-differ'
  | 'draws-advance'
  | 'snapshot-is-json'
  | 'snapshot-resumes'
  | 'snapshot-resumes-in-new-control'
  | 'restore-refuses-corrupt-state'
  | 'release-gives-back-original'
  | 'release-without-seed'
  | 'seed-everything-derives-seed';

/**
 * What a control can do. A capability set to `false` needs its reason in `reasons`; the tests
 * that need it are skipped with the reason in their title, never silently.
 */
export interface SeedControlCapabilities {
  /** `snapshot()` and `restore()` resume exactly. Default `true`. */
  readonly snapshot?: boolean;
  /** `release()` undoes the control's patches. Default `true`. */
  readonly release?: boolean;
  readonly reasons?: { readonly snapshot?: string; readonly release?: string };
  /** Individual checks this control cannot pass, each with the reason. */
  readonly skip?: Partial<Record<SeedControlCheck, string>>;
}

const SEED_A = 0x2545f491;
const SEED_B = 0x9e3779b9;

/**
 * Registers the seed-control contract tests for one source of randomness, runtime-neutral:
 * the same seed gives the same draws (also across two control instances, and after seeding
 * again); different seeds give different draws; a snapshot is JSON and restoring it (also
 * into a new control, after a JSON round trip) resumes exactly; a corrupted state is refused
 * with a `ReprokitError` and changes nothing; `release()` gives back the original (identity,
 * when `patchedValue` is given, and behaviour) and is safe to call twice or unseeded;
 * `seedEverything` seeds the control with `deriveSeed(root, control.name)`.
 *
 * @example
 * describeSeedControl(
 *   'math-random',
 *   () => ({
 *     control: mathRandomSeedControl(),
 *     draw: () => [Math.random(), Math.random(), Math.random()],
 *     patchedValue: () => Math.random,
 *   }),
 *   { snapshot: true, release: true },
 * );
 */
export function describeSeedControl<C extends SeedControl>(
  name: string,
  factory: () => SeedControlFixture<C> | Promise<SeedControlFixture<C>>,
  capabilities: SeedControlCapabilities = {},
): void {
  const canSnapshot = capabilities.snapshot ?? true;
  const canRelease = capabilities.release ?? true;
  const reasonFor = (capability: 'snapshot' | 'release'): string => {
    const reason = capabilities.reasons?.[capability];
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(
        `describeSeedControl('${name}'): capabilities.${capability} is false, so capabilities.reasons.${capability} must say why`,
      );
    }
    return reason;
  };
  const snapshotReason = canSnapshot ? undefined : reasonFor('snapshot');
  const releaseReason = canRelease ? undefined : reasonFor('release');

  let fixtures: SeedControlFixture<C>[] = [];
  const fresh = async (): Promise<SeedControlFixture<C>> => {
    const fixture = await factory();
    fixtures.push(fixture);
    return fixture;
  };
  const draw = async (fixture: SeedControlFixture<C>): Promise<number[]> => {
    const values = await fixture.draw(fixture.control);
    expect(Array.isArray(values), 'draw() must return an array of numbers').toBe(true);
    expect(values.length, 'draw() must return at least two numbers').toBeGreaterThanOrEqual(2);
    for (const value of values) expect(Number.isFinite(value)).toBe(true);
    return values;
  };

  const check = (
    id: SeedControlCheck,
    title: string,
    needs: { snapshot?: boolean; release?: boolean },
    body: () => Promise<void>,
  ) => {
    const reason =
      capabilities.skip?.[id] ??
      (needs.snapshot ? snapshotReason : undefined) ??
      (needs.release ? releaseReason : undefined);
    if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, body);
    else it(title, body);
  };

  describe(`seed control: ${name}`, () => {
    afterEach(async () => {
      currentSeedScope()?.release();
      const done = fixtures;
      fixtures = [];
      for (const fixture of done.reverse()) {
        fixture.control.release?.();
        await fixture.dispose?.();
      }
    });

    it('has a non-empty name and a seed() method', async () => {
      const { control } = await fresh();
      expect(typeof control.name).toBe('string');
      expect(control.name.length).toBeGreaterThan(0);
      expect(typeof control.seed).toBe('function');
    });

    check(
      'same-seed-same-draws',
      'the same seed gives the same draws in two controls',
      {},
      async () => {
        const first = await fresh();
        first.control.seed(SEED_A);
        const a = [...(await draw(first)), ...(await draw(first))];
        first.control.release?.();
        const second = await fresh();
        second.control.seed(SEED_A);
        const b = [...(await draw(second)), ...(await draw(second))];
        expect(b).toEqual(a);
      },
    );

    check(
      'reseed-restarts',
      'seeding again with the same seed restarts the stream',
      {},
      async () => {
        const fixture = await fresh();
        fixture.control.seed(SEED_A);
        const a = await draw(fixture);
        await draw(fixture);
        fixture.control.seed(SEED_A);
        expect(await draw(fixture)).toEqual(a);
      },
    );

    check('different-seeds-differ', 'different seeds give different draws', {}, async () => {
      const results: number[][] = [];
      for (const seed of [SEED_A, SEED_B, 1, 0xffffffff]) {
        const fixture = await fresh();
        fixture.control.seed(seed);
        results.push(await draw(fixture));
        fixture.control.release?.();
      }
      const distinct = new Set(results.map((values) => JSON.stringify(values)));
      expect(distinct.size).toBe(results.length);
    });

    check('draws-advance', 'consecutive draws differ (the stream advances)', {}, async () => {
      const fixture = await fresh();
      fixture.control.seed(SEED_A);
      expect(await draw(fixture)).not.toEqual(await draw(fixture));
    });

    check('snapshot-is-json', 'snapshot() is JSON-serialisable', { snapshot: true }, async () => {
      const fixture = await fresh();
      fixture.control.seed(SEED_A);
      await draw(fixture);
      const state = fixture.control.snapshot?.();
      expect(JSON.parse(JSON.stringify(state)) as JsonValue).toEqual(state);
    });

    check(
      'snapshot-resumes',
      'restore(snapshot) resumes exactly where the snapshot was taken',
      { snapshot: true },
      async () => {
        const fixture = await fresh();
        fixture.control.seed(SEED_A);
        await draw(fixture);
        const state = JSON.parse(JSON.stringify(fixture.control.snapshot?.())) as JsonValue;
        const expected = [await draw(fixture), await draw(fixture)];
        fixture.control.restore?.(state);
        expect([await draw(fixture), await draw(fixture)]).toEqual(expected);
      },
    );

    check(
      'snapshot-resumes-in-new-control',
      'a new control restored from a JSON snapshot continues the old stream',
      { snapshot: true, release: true },
      async () => {
        const old = await fresh();
        old.control.seed(SEED_A);
        await draw(old);
        const json = JSON.stringify(old.control.snapshot?.());
        const expected = [await draw(old), await draw(old)];
        old.control.release?.();

        const resumed = await fresh();
        resumed.control.seed(SEED_B);
        await draw(resumed);
        resumed.control.restore?.(JSON.parse(json) as JsonValue);
        expect([await draw(resumed), await draw(resumed)]).toEqual(expected);
      },
    );

    check(
      'restore-refuses-corrupt-state',
      'restore() refuses corrupted states with a ReprokitError and changes nothing',
      { snapshot: true },
      async () => {
        const reference = await fresh();
        reference.control.seed(SEED_A);
        await draw(reference);
        const expected = await draw(reference);
        reference.control.release?.();

        const fixture = await fresh();
        fixture.control.seed(SEED_A);
        await draw(fixture);
        const corrupted: JsonValue[] = ['not a state', 12345, [1, 2, 3], {}, { state: 'x' }];
        for (const state of corrupted) {
          let error: unknown;
          try {
            fixture.control.restore?.(state);
          } catch (caught) {
            error = caught;
          }
          expect(ReprokitError.isInstance(error), `restore(${JSON.stringify(state)})`).toBe(true);
        }
        expect(await draw(fixture)).toEqual(expected);
      },
    );

    check(
      'release-gives-back-original',
      'release() gives back the original behaviour, and a second release() is harmless',
      { release: true },
      async () => {
        const fixture = await fresh();
        const before = fixture.patchedValue?.();
        fixture.control.seed(SEED_A);
        const seeded = await draw(fixture);
        if (fixture.patchedValue) expect(fixture.patchedValue()).not.toBe(before);
        fixture.control.release?.();
        if (fixture.patchedValue) expect(fixture.patchedValue()).toBe(before);
        fixture.control.release?.();
        if (fixture.patchedValue) expect(fixture.patchedValue()).toBe(before);

        // After release the source no longer follows the seeded stream.
        const reference = await fresh();
        reference.control.seed(SEED_A);
        await draw(reference);
        const seededNext = await draw(reference);
        reference.control.release?.();
        const released = await draw(fixture);
        expect(released).not.toEqual(seededNext);
        expect(released).not.toEqual(seeded);
      },
    );

    check(
      'release-without-seed',
      'release() on a control never seeded changes nothing',
      { release: true },
      async () => {
        const fixture = await fresh();
        const before = fixture.patchedValue?.();
        fixture.control.release?.();
        if (fixture.patchedValue) expect(fixture.patchedValue()).toBe(before);
        // Still usable afterwards.
        fixture.control.seed(SEED_A);
        const reference = await fresh();
        const a = await draw(fixture);
        fixture.control.release?.();
        reference.control.seed(SEED_A);
        expect(await draw(reference)).toEqual(a);
      },
    );

    check(
      'seed-everything-derives-seed',
      'seedEverything(root) seeds it with deriveSeed(root, control.name) and releases it',
      { release: true },
      async () => {
        const direct = await fresh();
        direct.control.seed(deriveSeed('conformance', direct.control.name));
        const expected = await draw(direct);
        direct.control.release?.();

        const fixture = await fresh();
        const before = fixture.patchedValue?.();
        const scope = seedEverything('conformance', { controls: [fixture.control] });
        expect(scope.controls).toContain(fixture.control);
        expect(await draw(fixture)).toEqual(expected);
        scope.release();
        if (fixture.patchedValue) expect(fixture.patchedValue()).toBe(before);
      },
    );
  });
}
