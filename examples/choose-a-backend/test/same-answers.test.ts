import { readFile, stat } from 'node:fs/promises';
import { fingerprint } from '@reprokit/core';
import { readSafetensors } from '@reprokit/core/node';
import { listInitializers } from '@reprokit/onnxruntime';
import { loadOnnxModel, readOnnxCheckpoint } from '@reprokit/onnxruntime/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassifier, type DigitClassifier, IMAGE_SIZE, MODEL_FILES } from '../src/index.js';

// 24 real held-out MNIST digits, written by scripts/make-weights.ts (see "source" inside).
const fixture = JSON.parse(
  await readFile(new URL('./fixtures/digits.json', import.meta.url), 'utf8'),
) as { labels: number[]; pixels: number[][] };

let tfjs: DigitClassifier;
let onnx: DigitClassifier;
beforeAll(async () => {
  [tfjs, onnx] = await Promise.all([
    createClassifier({ backend: 'tfjs' }),
    createClassifier({ backend: 'onnxruntime' }),
  ]);
});
afterAll(async () => {
  await tfjs?.dispose();
  await onnx?.dispose();
});

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, value, index) => Math.max(max, Math.abs(value - b[index]!)), 0);
}

describe('both backends, one weights file', () => {
  it('give the same labels and logits within 1e-5 on real digits', async () => {
    const fromTfjs = await tfjs.classify(fixture.pixels);
    const fromOnnx = await onnx.classify(fixture.pixels);
    expect(fromTfjs.count).toBe(24);
    expect(fromTfjs.logits).toHaveLength(240);
    expect([...fromOnnx.labels]).toEqual([...fromTfjs.labels]);
    const difference = maxAbsDifference(fromTfjs.logits, fromOnnx.logits);
    expect(difference).toBeLessThanOrEqual(1e-5);
    // Not trivially equal because both are zero or constant: the logits spread out.
    expect(Math.max(...fromTfjs.logits) - Math.min(...fromTfjs.logits)).toBeGreaterThan(5);
    // A trained classifier, far above chance (2.4 of 24): the committed weights get 18 of
    // these 24 held-out digits right (89.0% on all 1,000 held-out digits).
    const correct = fromTfjs.labels.filter(
      (label, index) => label === fixture.labels[index],
    ).length;
    expect(correct).toBeGreaterThanOrEqual(16);
  });

  it('classify one flat Float32Array the same as an array of images', async () => {
    const flat = Float32Array.from(fixture.pixels.slice(0, 3).flat());
    for (const classifier of [tfjs, onnx]) {
      const fromFlat = await classifier.classify(flat);
      const fromImages = await classifier.classify(fixture.pixels.slice(0, 3));
      expect(fromFlat.count).toBe(3);
      expect([...fromFlat.logits]).toEqual([...fromImages.logits]);
    }
  });

  it('ship the weights once: the ONNX graph reads its initializers from model.safetensors', async () => {
    const shipped = await readSafetensors(MODEL_FILES.weights);
    const throughOnnx = await readOnnxCheckpoint(MODEL_FILES.onnxGraph);
    expect(fingerprint(throughOnnx)).toBe(fingerprint(shipped));
    const graph = await loadOnnxModel(MODEL_FILES.onnxGraph);
    const initializers = listInitializers(graph);
    expect(initializers.length).toBe(shipped.tensors.size);
    for (const { tensor } of initializers) {
      expect(tensor.dataLocation).toBe(1); // EXTERNAL
      expect(tensor.externalData.find((entry) => entry.key === 'location')?.value).toBe(
        'model.safetensors',
      );
    }
    // The graph file holds no weights: it is smaller than the weights it points to.
    expect((await stat(MODEL_FILES.onnxGraph)).size).toBeLessThan(
      (await stat(MODEL_FILES.weights)).size,
    );
  });
});

describe('bad input', () => {
  it.each([
    [[], 'got 0 values; expected a positive multiple of 784'],
    [new Float32Array(IMAGE_SIZE + 1), 'got 785 values'],
    [[new Array(783).fill(0)], 'image 0 has 783 values; expected 784'],
    [
      Float32Array.from({ length: IMAGE_SIZE * 2 }, (_, i) => (i === 900 ? 2 : 0)),
      'image 1, pixel 116 is 2',
    ],
    [
      Float32Array.from({ length: IMAGE_SIZE }, (_, i) => (i === 5 ? Number.NaN : 0)),
      'image 0, pixel 5 is NaN',
    ],
    [undefined, 'expected a Float32Array or an array of images, got undefined'],
    [new Float64Array(IMAGE_SIZE), 'got Float64Array'],
  ])('%# is refused by both backends with CLASSIFIER_INVALID_INPUT', async (input, message) => {
    for (const classifier of [tfjs, onnx]) {
      await expect(classifier.classify(input as Float32Array)).rejects.toMatchObject({
        code: 'CLASSIFIER_INVALID_INPUT',
        origin: 'classifier',
        message: expect.stringContaining(message),
      });
    }
  });
});
