/**
 * What tfjs' `webgl` backend does in headless Chromium, where WebGL runs on SwiftShader (the GPU
 * emulated on the CPU). docs/determinism.md sums it up. Runs in Chromium only (`*.browser.test.ts`).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../backends/tfjs-test-backends.js';

async function valuesOn(backend: 'cpu' | 'webgl', compute: () => tf.Tensor): Promise<Float32Array> {
  await useTestBackend(backend);
  const result = compute();
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

function differingValues(a: Float32Array, b: Float32Array): { count: number; maxRelative: number } {
  let count = 0;
  let maxRelative = 0;
  a.forEach((value, index) => {
    const other = b[index]!;
    if (Object.is(value, other)) return;
    count++;
    maxRelative = Math.max(maxRelative, Math.abs(value - other) / Math.max(Math.abs(other), 1));
  });
  return { count, maxRelative };
}

describe('tfjs webgl backend on SwiftShader', () => {
  let a: tf.Tensor2D;
  let b: tf.Tensor2D;
  beforeAll(async () => {
    await useTestBackend('cpu');
    // Seeded ops draw in JavaScript, so every backend gets the same inputs.
    a = tf.randomNormal([256, 300], 0, 1, 'float32', 1);
    b = tf.randomNormal([300, 64], 0, 1, 'float32', 2);
  });

  it('has WebGL 2 with float32 textures, packed: no float16 fallback', async () => {
    await useTestBackend('webgl');
    expect(tf.env().get('WEBGL_VERSION')).toBe(2);
    expect(tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')).toBe(true);
    expect(tf.env().getBool('WEBGL_DOWNLOAD_FLOAT_ENABLED')).toBe(true);
    expect(tf.env().getBool('WEBGL_FORCE_F16_TEXTURES')).toBe(false);
    expect(tf.env().getBool('WEBGL_PACK')).toBe(true);
  });

  it('gives the same bits when the same op runs again (matMul, sum, exp)', async () => {
    for (const compute of [() => tf.matMul(a, b), () => tf.sum(a, 1), () => tf.exp(a)]) {
      const first = await valuesOn('webgl', compute);
      const second = await valuesOn('webgl', compute);
      expect(differingValues(first, second).count).toBe(0);
    }
  });

  it('differs from cpu in the last bits (matMul, sum, exp), within 1e-4 (relative, or absolute below 1)', async () => {
    for (const compute of [() => tf.matMul(a, b), () => tf.sum(a, 1), () => tf.exp(a)]) {
      const webgl = await valuesOn('webgl', compute);
      const cpu = await valuesOn('cpu', compute);
      const difference = differingValues(webgl, cpu);
      expect(difference.count).toBeGreaterThan(0);
      expect(difference.maxRelative).toBeLessThan(1e-4);
    }
  });
});
