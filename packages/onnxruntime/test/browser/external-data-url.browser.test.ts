/**
 * `createSession(ort, model, { externalDataUrl })` in onnxruntime-web: the model's weights sit
 * in a safetensors file that the test server (Vite, the page's own origin) serves, and ORT
 * fetches that file itself. The outputs must equal, bit for bit, those of the same model with
 * its weights embedded and with the same bytes handed over in memory; the page's Resource
 * Timing entries show that the file was fetched by URL, once, whole.
 */
import { ReprokitError } from '@reprokit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import {
  createSession,
  decodeOnnxModel,
  encodeOnnxModel,
  type OnnxModel,
  readOnnxCheckpoint,
  writeOnnxWithReport,
} from '../../src/index.js';
import { crossRuntimeCases } from '../cross-runtime-models.js';
import { bytesToBase64 } from './onnxruntime-node-reference.js';
import { ort } from './onnxruntime-web.js';

// `served-*.safetensors` beside the tests is git-ignored; the test writes and removes it.
const SERVED_FILE = 'served-mlp-weights.safetensors';
const LOCATION = 'mlp.safetensors';
const mlp = crossRuntimeCases().find((testCase) => testCase.name === 'mlp')!;

async function predict(session: ort.InferenceSession): Promise<Float32Array[]> {
  const feeds = Object.fromEntries(
    mlp.feeds.map((feed) => [feed.name, new ort.Tensor('float32', feed.values, [...feed.dims])]),
  );
  const results = await session.run(feeds);
  await session.release();
  return mlp.outputs.map((name) => results[name]!.data as Float32Array);
}

/** The fields of a Resource Timing entry read here (the package's types have no DOM lib). */
interface ResourceRequest {
  readonly name: string;
  readonly initiatorType: string;
  readonly decodedBodySize: number;
}

/** The Resource Timing entries of this page's requests for `url`, since the last clear. */
function requestsFor(url: URL): ResourceRequest[] {
  return (performance.getEntriesByType('resource') as unknown as ResourceRequest[]).filter(
    (entry) => entry.name === url.href,
  );
}

describe('createSession with externalDataUrl in onnxruntime-web', () => {
  let embedded: OnnxModel;
  let withDataInMemory: OnnxModel;
  let graphBytes: Uint8Array;
  let dataBytes: Uint8Array;
  let served: URL;

  beforeAll(async () => {
    embedded = mlp.model;
    const written = await writeOnnxWithReport(embedded, await readOnnxCheckpoint(embedded), {
      externalData: LOCATION,
    });
    expect(written.keptEmbedded.size).toBe(0);
    withDataInMemory = written.model;
    dataBytes = withDataInMemory.externalFiles.get(LOCATION)!;
    // Only the graph: its four initializers point into mlp.safetensors, nothing is held.
    graphBytes = encodeOnnxModel(withDataInMemory);
    // Vite serves workspace files by absolute path under /@fs/ (writeFile paths are relative
    // to the package), so the file gets an http URL of the page's own origin.
    await commands.writeFile(`test/browser/${SERVED_FILE}`, bytesToBase64(dataBytes), 'base64');
    const here = new URL(import.meta.url);
    served = new URL(`/@fs${new URL(SERVED_FILE, here).pathname}`, here.origin);
  });

  afterAll(async () => {
    await commands.removeFile(`test/browser/${SERVED_FILE}`);
  });

  it('the graph has no weights of its own, and the server gives back the data file', async () => {
    expect(graphBytes.byteLength).toBeLessThan(dataBytes.byteLength / 10);
    const response = await fetch(served);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(dataBytes);
  });

  it('onnxruntime-web fetches the file by URL; the outputs equal the embedded and in-memory ones bitwise', async () => {
    const expected = await predict(await createSession(ort, embedded, { deterministic: true }));
    const inMemory = await predict(
      await createSession(ort, withDataInMemory, { deterministic: true }),
    );
    const asked: string[] = [];
    performance.clearResourceTimings();
    const session = await createSession(ort, decodeOnnxModel(graphBytes), {
      deterministic: true,
      externalDataUrl: (location) => {
        asked.push(location);
        return served.href;
      },
    });
    const requests = requestsFor(served);
    const byUrl = await predict(session);

    expect(asked).toEqual([LOCATION]);
    // One fetch of the whole file (ORT does not read ranges), made by ORT, not by reprokit.
    expect(requests).toHaveLength(1);
    expect(requests[0]!.initiatorType).toBe('fetch');
    expect(requests[0]!.decodedBodySize).toBe(dataBytes.byteLength);
    expect(byUrl.map((values) => new Uint8Array(values.buffer))).toEqual(
      expected.map((values) => new Uint8Array(values.buffer)),
    );
    expect(inMemory.map((values) => new Uint8Array(values.buffer))).toEqual(
      expected.map((values) => new Uint8Array(values.buffer)),
    );
  });

  it('a file the server does not have, or no response: OnnxError ONNX_EXTERNAL_DATA_MISSING naming the URL', async () => {
    const missing = new URL('/@fs/no-such-folder/mlp.safetensors', served.origin).href;
    // Port 9 is on Chromium's list of blocked ports: the fetch fails in the page, no request goes out.
    const unreachable = 'http://127.0.0.1:9/mlp.safetensors';
    for (const [url, reason] of [
      [missing, 'the server answered with an error status'],
      [unreachable, '(Failed to fetch): no response came'],
    ] as const) {
      const caught = await createSession(ort, decodeOnnxModel(graphBytes), {
        externalDataUrl: () => url,
      }).catch((thrown: unknown) => thrown);
      expect(ReprokitError.isInstance(caught)).toBe(true);
      expect(caught).toMatchObject({ code: 'ONNX_EXTERNAL_DATA_MISSING', file: url });
      expect((caught as Error).message).toContain(reason);
    }
  });
});
