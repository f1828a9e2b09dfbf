import { createRng } from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { FitShuffleWindow } from './fit-shuffle-window.js';
import { PropertyPatches } from './property-patches.js';
import { fisherYatesOrder } from './steered-shuffle.js';

/** Stand-ins for tfjs' CallbackList and engine, driven the way fit (tfjs-layers 4.x) drives them. */
class FakeCallbackList {
  constructor(readonly callbacks: { params: { samples: number | null } }[]) {}
  async onEpochBegin(_epoch: number): Promise<void> {}
}
const engine = {
  made: [] as number[][],
  makeTensor(values: Float32Array) {
    this.made.push(Array.from(values));
  },
};

const patches = new PropertyPatches();
afterEach(() => patches.restoreAll());

function setUp(seed: number) {
  const stream = createRng(seed);
  const disturbed: string[] = [];
  const window = new FitShuffleWindow(
    () => stream.next(),
    (detail) => disturbed.push(detail),
  );
  expect(window.install(patches, FakeCallbackList, engine)).toBe(true);
  return { window, disturbed };
}

/** One fit call over `samples`, as fitLoop runs it: await the callbacks, shuffle, make the tensor. */
async function fit(samples: number, epochs: number, shuffle: boolean, between?: () => void) {
  const list = new FakeCallbackList([{ params: { samples } }]);
  const indexArray = Array.from({ length: samples }, (_, index) => index);
  const orders: number[][] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    await list.onEpochBegin(epoch);
    between?.();
    if (shuffle) tf.util.shuffle(indexArray);
    engine.makeTensor(Float32Array.from(indexArray));
    orders.push([...indexArray]);
  }
  return orders;
}

/** What the CommonJS hook gives: each epoch 0..n-1 shuffled afresh from the stream. */
function expectedOrders(seed: number, samples: number, epochs: number): number[][] {
  const stream = createRng(seed);
  return Array.from({ length: epochs }, () =>
    Array.from(fisherYatesOrder(samples, () => stream.next())),
  );
}

describe('FitShuffleWindow', () => {
  it("steers fit's in-place shuffle to the stream's order each epoch", async () => {
    const { disturbed } = setUp(11);
    const random = Math.random;
    expect(await fit(40, 4, true)).toEqual(expectedOrders(11, 40, 4));
    expect(disturbed).toEqual([]);
    expect(Math.random).toBe(random);
  });

  it('draws nothing from the stream when fit does not shuffle', async () => {
    const stream = createRng(3);
    const window = new FitShuffleWindow(
      () => stream.next(),
      () => {},
    );
    window.install(patches, FakeCallbackList, engine);
    const before = stream.state();
    await fit(10, 2, false);
    expect(stream.state()).toEqual(before);
  });

  it('reports an epoch whose order was shifted by another Math.random draw, and recovers', async () => {
    const { disturbed } = setUp(12);
    let epoch = 0;
    const orders = await fit(30, 3, true, () => {
      if (epoch++ === 1) Math.random(); // someone else's draw inside the window
    });
    expect(disturbed).toHaveLength(1);
    expect(disturbed[0]).toMatch(/another order .* something else drew Math.random/);
    const expected = expectedOrders(12, 30, 3);
    expect(orders[0]).toEqual(expected[0]);
    expect(orders[1]).not.toEqual(expected[1]);
    expect(orders[2]).toEqual(expected[2]); // steered from the order fit really had
  });

  it('leaves fitDataset (no samples) and other CallbackLists alone', async () => {
    setUp(13);
    const random = Math.random;
    const list = new FakeCallbackList([{ params: { samples: null } }]);
    await list.onEpochBegin(0);
    expect(Math.random).toBe(random);
  });

  it('closes at the next task when fit never reaches makeTensor', async () => {
    setUp(14);
    const random = Math.random;
    await new FakeCallbackList([{ params: { samples: 5 } }]).onEpochBegin(0);
    expect(Math.random).not.toBe(random);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(Math.random).toBe(random);
  });

  it('gives Math.random back when closed by the control', async () => {
    const { window } = setUp(15);
    const random = Math.random;
    await new FakeCallbackList([{ params: { samples: 5 } }]).onEpochBegin(0);
    window.close();
    expect(Math.random).toBe(random);
  });

  it('refuses a tfjs without CallbackList or makeTensor, patching nothing', () => {
    const window = new FitShuffleWindow(
      () => 0.5,
      () => {},
    );
    expect(window.install(patches, undefined, engine)).toBe(false);
    expect(window.install(patches, FakeCallbackList, {})).toBe(false);
    expect(patches.size).toBe(0);
  });
});
