/**
 * globalSetup of the chromium project (runs in Node): computes the cross-runtime cases'
 * outputs with onnxruntime-node through reprokit's `createSession` (seeded, deterministic
 * options) and provides them to the page, which computes the same with onnxruntime-web
 * (onnxruntime-web-equals-node.browser.test.ts). Expected values come from this same run.
 */
import * as ort from 'onnxruntime-node';
import type { TestProject } from 'vitest/node';
import { createSession, encodeOnnxModel } from '../../src/index.js';
import { crossRuntimeCases } from '../cross-runtime-models.js';
import { bytesToBase64, type EncodedCase } from './onnxruntime-node-reference.js';

const floatBytes = (values: Float32Array) =>
  new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

export default async function setup(project: TestProject): Promise<void> {
  const cases: EncodedCase[] = [];
  for (const testCase of crossRuntimeCases()) {
    const modelBytes = encodeOnnxModel(testCase.model);
    const session = await createSession(ort, modelBytes, {
      seed: testCase.seed,
      deterministic: true,
    });
    const feeds = Object.fromEntries(
      testCase.feeds.map((feed) => [
        feed.name,
        new ort.Tensor('float32', feed.values, [...feed.dims]),
      ]),
    );
    const results = await session.run(feeds);
    cases.push({
      name: testCase.name,
      modelBase64: bytesToBase64(modelBytes),
      ...(testCase.seed === undefined ? {} : { seed: testCase.seed }),
      feeds: testCase.feeds.map((feed) => ({
        name: feed.name,
        dims: feed.dims,
        base64: bytesToBase64(floatBytes(feed.values)),
      })),
      outputs: testCase.outputs.map((name) => {
        const tensor = results[name]!;
        return {
          name,
          dims: tensor.dims,
          base64: bytesToBase64(floatBytes(tensor.data as Float32Array)),
        };
      }),
    });
    await session.release();
  }
  project.provide('onnxruntimeNodeReference', {
    nodeVersion: ort.env.versions.node ?? ort.env.versions.common,
    platform: process.platform,
    cases,
  });
}
