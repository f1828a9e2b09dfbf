/**
 * The demo's MLP trained in Chromium with the same seed and the same digits as in Node (this
 * run's globalSetup trained it there: provide-node-training.ts). docs/determinism.md has the
 * table these tests back.
 */
import { describe, expect, inject, it } from 'vitest';
import { type DigitSet, IMAGE_SIZE } from '../../src/data/digit-set.js';
import {
  type DigitTrainingResult,
  trainMlpOnDigits,
} from '../../src/training/train-mlp-on-digits.js';
import { useBackendInPage } from './tfjs-backend-in-page.js';

const node = inject('nodeTraining');

function digitsFromNode(): DigitSet {
  const bytes = Uint8Array.from(atob(node.imagesBase64), (char) => char.charCodeAt(0));
  const images = new Float32Array(bytes.buffer);
  return { images, labels: Uint8Array.from(node.labels), count: images.length / IMAGE_SIZE };
}

async function trainInPage(
  backend: 'cpu' | 'wasm' | 'webgl',
  shuffle: boolean,
): Promise<DigitTrainingResult> {
  const tf = await useBackendInPage(backend);
  return trainMlpOnDigits(tf, digitsFromNode(), { seed: node.seed, epochs: node.epochs, shuffle });
}

describe("the demo's MLP, same seed and digits, in Chromium and in Node", () => {
  it('gets the digits Node trained on', () => {
    const digits = digitsFromNode();
    expect(digits.count).toBe(250);
    expect(new Set(digits.labels).size).toBe(10);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`${backend}: the same fingerprint as in Node, with fit's shuffle off`, async () => {
      const page = await trainInPage(backend, false);
      expect(page.fingerprint).toBe(node.fingerprints[backend].unshuffled);
    });

    it(`${backend}: the same fingerprint as in Node, with fit's shuffle on`, async () => {
      // tf.util is frozen in a page's ES modules, so the control feeds fit's shuffle through
      // its callbacks instead (FitShuffleWindow), from the same stream as Node's tf.util hook.
      const page = await trainInPage(backend, true);
      expect(page.findings).toEqual([]);
      expect(page.fingerprint).toBe(node.fingerprints[backend].shuffled);
      expect(page.fingerprint).not.toBe(node.fingerprints[backend].unshuffled);
    });
  }

  it("webgl (SwiftShader): the same fingerprint twice, but not cpu's or wasm's", async () => {
    const first = await trainInPage('webgl', false);
    const second = await trainInPage('webgl', false);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(first.findings).toEqual(['nondeterministic-backend']);
    expect(first.fingerprint).not.toBe(node.fingerprints.cpu.unshuffled);
    expect(first.fingerprint).not.toBe(node.fingerprints.wasm.unshuffled);
  });
});
