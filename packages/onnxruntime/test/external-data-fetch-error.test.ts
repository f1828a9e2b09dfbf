/**
 * How `createSession` reports an `externalDataUrl` file that onnxruntime-web could not fetch,
 * with a stand-in runtime that fails as onnxruntime-web 1.30 does (the real one fails this way
 * in test/browser/external-data-url.browser.test.ts).
 */
import { ReprokitError } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import {
  createSession,
  decodeOnnxModel,
  encodeOnnxModel,
  type OrtModule,
  readOnnxCheckpoint,
  writeOnnxWithReport,
} from '../src/index.js';
import { externalDataFetchError } from '../src/session/external-data-fetch-error.js';
import { denseModel } from './onnx-model-builder.js';

const URL_A = 'https://models.example/dense.safetensors';

/** A runtime whose session creation fails with `error`; records the options it got. */
function failingRuntime(error: unknown) {
  const calls: Array<Record<string, unknown>> = [];
  const ort: OrtModule = {
    InferenceSession: {
      create: async (_bytes: Uint8Array, options: Record<string, unknown>) => {
        calls.push(options);
        throw error;
      },
    },
  };
  return { ort, calls };
}

async function graphWithExternalData() {
  const model = denseModel();
  const { model: written } = await writeOnnxWithReport(model, await readOnnxCheckpoint(model), {
    externalData: 'dense.safetensors',
  });
  return decodeOnnxModel(encodeOnnxModel(written));
}

async function failure(error: unknown, externalDataUrl = (_location: string) => URL_A) {
  const { ort, calls } = failingRuntime(error);
  const caught = await createSession(ort, await graphWithExternalData(), {
    externalDataUrl,
  }).catch((thrown: unknown) => thrown);
  expect(calls[0]!.externalData).toEqual([{ path: 'dense.safetensors', data: URL_A }]);
  return caught;
}

describe('createSession: an externalDataUrl file that cannot be fetched', () => {
  it('an error status (ORT names the URL): OnnxError ONNX_EXTERNAL_DATA_MISSING with the URL', async () => {
    const original = new Error(`failed to load external data file: ${URL_A}`);
    const caught = await failure(original);
    expect(ReprokitError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({
      name: 'OnnxError',
      code: 'ONNX_EXTERNAL_DATA_MISSING',
      file: URL_A,
      cause: original,
    });
    expect((caught as Error).message).toBe(
      `[reprokit] [onnxruntime] external data file "dense.safetensors" could not be fetched: the server answered with an error status (${URL_A})`,
    );
  });

  it("no response (fetch's TypeError, which names no URL): the same code, naming the URL and CORS", async () => {
    for (const message of [
      'Failed to fetch',
      'NetworkError when attempting to fetch resource.',
      'Load failed',
    ]) {
      const caught = await failure(new TypeError(message));
      expect(caught).toMatchObject({ code: 'ONNX_EXTERNAL_DATA_MISSING', file: URL_A });
      expect((caught as Error).message).toContain(`could not be fetched (${message})`);
      expect((caught as Error).message).toContain(`(CORS) (${URL_A})`);
    }
  });

  it('no response with several URLs: names them all, no single file', () => {
    const error = externalDataFetchError(new TypeError('Failed to fetch'), [
      { path: 'a.safetensors', data: URL_A },
      { path: 'in-memory.bin', data: new Uint8Array(4) },
      { path: 'b.safetensors', data: 'https://models.example/b.safetensors' },
    ]);
    expect(error?.file).toBeUndefined();
    expect(error?.message).toContain(
      `from one of ${URL_A}, https://models.example/b.safetensors (Failed to fetch)`,
    );
  });

  it('other failures pass through unchanged', async () => {
    const other = new Error('failed to load external data file: https://elsewhere.example/x');
    expect(await failure(other)).toBe(other);
    const typeError = new TypeError("Cannot read properties of undefined (reading 'dims')");
    expect(await failure(typeError)).toBe(typeError);
    expect(await failure('a string')).toBe('a string');
  });

  it('without URLs, a network-looking TypeError passes through unchanged', async () => {
    const { ort } = failingRuntime(new TypeError('Failed to fetch'));
    const caught = await createSession(ort, denseModel()).catch((thrown: unknown) => thrown);
    expect(caught).toBeInstanceOf(TypeError);
    expect(ReprokitError.isInstance(caught)).toBe(false);
  });
});
