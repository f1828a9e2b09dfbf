import { describeSeedControl } from '@reprokit/conformance/runtime-neutral';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe } from 'vitest';
import { tfjsSeedControl } from '../../src/seed/index.js';
import { testBackends, useTestBackend } from '../backends/tfjs-test-backends.js';

/**
 * Whether `tf.util.shuffle` can be replaced. In Node tfjs is CommonJS and `tf.util` a plain
 * object; in a page, Vite serves tfjs' ES modules, where `tf.util` is a module namespace whose
 * properties cannot be redefined. There the control still covers `model.fit`'s shuffle, from
 * around it (test/browser/fit-shuffle-in-esm.browser.test.ts), but not direct calls of
 * `tf.util.shuffle`, so the draw below makes one only where it is patchable.
 */
const utilShufflePatchable =
  Object.getOwnPropertyDescriptor(tf.util, 'shuffle')?.configurable === true ||
  Object.getOwnPropertyDescriptor(tf.util, 'shuffle')?.writable === true;

/**
 * One draw touches every path the control covers: an unseeded op, a layer initializer,
 * a dropout mask in training, the `model.fit` shuffle (`tf.util.shuffle`, where it can be
 * patched) and an unseeded `tf.data` shuffle.
 */
async function drawFromTfjs(): Promise<number[]> {
  const values = tf.tidy(() => {
    const uniform = Array.from(tf.randomUniform([4]).dataSync());
    const layer = tf.layers.dense({ units: 2 });
    layer.apply(tf.ones([1, 2])); // builds the kernel; a used layer can be disposed
    const kernel = Array.from(layer.getWeights()[0]!.dataSync());
    layer.dispose();
    const mask = Array.from(
      (
        tf.layers.dropout({ rate: 0.5 }).apply(tf.ones([1, 8]), { training: true }) as tf.Tensor
      ).dataSync(),
    );
    return [...uniform, ...kernel, ...mask];
  });
  const order = [0, 1, 2, 3, 4, 5, 6, 7];
  if (utilShufflePatchable) tf.util.shuffle(order);
  const dataOrder = await tf.data.array([0, 1, 2, 3, 4, 5, 6, 7]).shuffle(8).toArray();
  return [...values, ...order, ...dataOrder];
}

// Node: cpu and wasm; Chromium adds webgl. The random values are drawn in JavaScript on every
// backend (tfjs' seeded generator); the backend computes the dropout mask and the shuffles'
// gathers from them, so a backend that computed differently would show here.
for (const backend of testBackends) {
  describe(`on the ${backend} backend`, () => {
    beforeAll(async () => {
      await useTestBackend(backend);
    });
    describeSeedControl(
      `tfjs (${backend})`,
      () => ({
        // Any finding fails the test, but webgl's (which the audit always flags;
        // docs/determinism.md has what it does).
        control: tfjsSeedControl(tf, {
          audit: backend !== 'webgl' ? 'error' : 'warn',
          onFinding: (finding) => {
            const expected = finding.kind === 'nondeterministic-backend' && backend === 'webgl';
            if (!expected) throw new Error(finding.message);
          },
        }),
        draw: drawFromTfjs,
        // The engine's startScope is the hook every op goes through: an own property while
        // seeded, the prototype method again after release.
        patchedValue: () => (tf.engine() as unknown as { startScope: unknown }).startScope,
      }),
      { snapshot: true, release: true },
    );
  });
}
