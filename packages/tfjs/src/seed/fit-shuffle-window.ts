import type { PropertyPatches } from './property-patches.js';
import {
  drawsThatShuffle,
  fisherYatesOrder,
  identityOrder,
  isPermutation,
} from './steered-shuffle.js';

/** tfjs' CallbackList keeps no params itself; fit gives the same params to each of its callbacks. */
interface CallbackListLike {
  callbacks?: readonly ({ params?: { samples?: unknown } } | undefined)[];
}
type EpochBegin = (this: CallbackListLike, epoch: number, logs?: unknown) => unknown;
type MakeTensor = (this: unknown, values: unknown, ...rest: unknown[]) => unknown;

/**
 * Feeds `model.fit`'s shuffle from the control's `shuffle` stream where `tf.util.shuffle` cannot
 * be replaced: tfjs loaded as ES modules (pages, bundlers), whose `tf.util` is a frozen namespace.
 *
 * Each epoch, fit (tfjs-layers 4.x) awaits `callbackList.onEpochBegin(epoch)`, then runs
 * `util.shuffle(indexArray)` when shuffling, then `tensor1d(indexArray)`, which reaches
 * `engine.makeTensor`. Both ends can be hooked without touching `tf.util`: the window opens when
 * `CallbackList.prototype.onEpochBegin` settles for a fit over samples (the callbacks' params
 * hold `samples`, unset for `fitDataset`) and closes at the next `engine.makeTensor`, whose values are the order fit
 * got. While it is open, `Math.random` answers with the draws that turn fit's index array
 * (0..n-1 at first, then the previous epoch's order, which the window saw) into the order the
 * CommonJS hook gives: `fisherYatesOrder(n, shuffle stream)`. So both builds shuffle each epoch
 * the same way from the same stream state, and a resumed fit matches an uninterrupted one.
 *
 * Anything else drawing `Math.random` between the callbacks and the shuffle (a microtask of
 * your own) would shift the draws; the window then sees another order and calls `onDisturbed`.
 */
export class FitShuffleWindow {
  /** The order of each running fit's index array, by its CallbackList (one per fit call). */
  private readonly orders = new WeakMap<object, ArrayLike<number>>();
  private current: OpenWindow | undefined;

  constructor(
    /** The control's `shuffle` stream. */
    private readonly random: () => number,
    /** Told when fit's order is not the stream's, with what happened. */
    private readonly onDisturbed: (detail: string) => void,
  ) {}

  /**
   * Hooks both ends; false when this tfjs lacks either. If only `makeTensor` could be patched,
   * that hook stays until release and does nothing (no window ever opens).
   */
  install(patches: PropertyPatches, callbackList: unknown, engine: unknown): boolean {
    const prototype = (callbackList as { prototype?: unknown } | undefined)?.prototype;
    if (
      typeof prototype !== 'object' ||
      prototype === null ||
      typeof (prototype as { onEpochBegin?: unknown }).onEpochBegin !== 'function' ||
      typeof engine !== 'object' ||
      engine === null ||
      typeof (engine as { makeTensor?: unknown }).makeTensor !== 'function'
    ) {
      return false;
    }
    const window = this;
    const closing = patches.replace<MakeTensor>(
      engine,
      'makeTensor',
      (original) =>
        function makeTensor(this: unknown, values: unknown, ...rest: unknown[]): unknown {
          window.current?.close(values);
          return original.call(this, values, ...rest);
        },
    );
    if (!closing) return false;
    return patches.replace<EpochBegin>(
      prototype,
      'onEpochBegin',
      (original) =>
        function onEpochBegin(this: CallbackListLike, epoch: number, logs?: unknown): unknown {
          const settled = original.call(this, epoch, logs);
          const samples = this?.callbacks?.[0]?.params?.samples;
          if (typeof samples !== 'number' || !Number.isInteger(samples) || samples < 1) {
            return settled;
          }
          return Promise.resolve(settled).then((value) => {
            window.open(this, samples);
            return value;
          });
        },
    );
  }

  /** Closes an open window without judging it (the control is being released). */
  close(): void {
    this.current?.close(undefined);
  }

  private open(list: object, length: number): void {
    this.current?.close(undefined);
    const known = this.orders.get(list);
    const from = known !== undefined && known.length === length ? known : identityOrder(length);
    const opened = new OpenWindow(from, this.random, (order, problem) => {
      if (this.current === opened) this.current = undefined;
      if (order !== undefined) this.orders.set(list, order);
      if (problem !== undefined) this.onDisturbed(problem);
    });
    this.current = opened;
  }
}

/** One epoch's window: owns `Math.random` until fit's index array reaches `makeTensor`. */
class OpenWindow {
  private readonly previous = Math.random;
  private readonly timer: ReturnType<typeof setTimeout>;
  private target: Int32Array | undefined;
  private draws: Float64Array | undefined;
  private drawn = 0;
  private closed = false;
  private readonly steer = (): number => this.next();

  constructor(
    private readonly from: ArrayLike<number>,
    private readonly random: () => number,
    private readonly done: (order: ArrayLike<number> | undefined, problem?: string) => void,
  ) {
    Math.random = this.steer;
    // fit reaches makeTensor in the same turn; a window still open at the next task saw no fit.
    this.timer = setTimeout(() => this.close(undefined), 0);
  }

  private next(): number {
    // Past the shuffle's n draws (someone else drew too) the window stays open to see fit's order.
    if (this.closed || this.drawn >= this.from.length) return this.previous();
    if (this.draws === undefined) {
      // The stream must not see this window's own Math.random, whatever it falls back to.
      Math.random = this.previous;
      try {
        this.target = fisherYatesOrder(this.from.length, this.random);
      } finally {
        Math.random = this.steer;
      }
      this.draws = drawsThatShuffle(this.from, this.target);
    }
    return this.draws[this.drawn++] as number;
  }

  /** `values`: what reached `makeTensor`, fit's index array for this epoch (undefined if unseen). */
  close(values: unknown): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    if (Math.random === this.steer) Math.random = this.previous;
    const length = this.from.length;
    if (this.drawn === 0) {
      this.done(undefined); // fit did not shuffle this epoch ({ shuffle: false })
      return;
    }
    const seen =
      ArrayBuffer.isView(values) || Array.isArray(values)
        ? (values as ArrayLike<unknown>)
        : undefined;
    const order =
      seen !== undefined && seen.length === length && isPermutation(seen) ? seen : undefined;
    if (order === undefined) {
      this.done(
        this.target,
        `model.fit's shuffle drew ${this.drawn} of ${length} numbers, but its order never reached tfjs`,
      );
    } else if (this.drawn !== length || !sameOrder(order, this.target)) {
      this.done(
        Int32Array.from(order),
        `model.fit's shuffle of ${length} samples came out in another order than the control's stream gives: ` +
          'something else drew Math.random between onEpochBegin and the shuffle',
      );
    } else {
      this.done(this.target);
    }
  }
}

function sameOrder(seen: ArrayLike<number>, target: ArrayLike<number> | undefined): boolean {
  if (target === undefined || seen.length !== target.length) return false;
  for (let index = 0; index < seen.length; index++) if (seen[index] !== target[index]) return false;
  return true;
}
