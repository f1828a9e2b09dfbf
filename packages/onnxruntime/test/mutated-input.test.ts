import { create } from '@bufbuild/protobuf';
import { ReprokitError } from '@reprokit/core';
import fc from 'fast-check';
import {
  StringStringEntryProtoSchema,
  TensorProto_DataLocation,
  TensorProtoSchema,
} from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { encodeOnnxModel, patchOnnxWeights, readOnnxCheckpoint } from '../src/index.js';
import { scanRawData } from '../src/internal/index.js';
import { denseModel, graph, ifModel, model, randomModel } from './onnx-model-builder.js';

/**
 * Damaged models (bytes flipped, cut, inserted) must either read or fail with a ReprokitError:
 * never a TypeError, a RangeError from a huge allocation, or a hang.
 */
describe('mutated ONNX bytes fail with typed errors only', () => {
  const sources = [denseModel(), ifModel(), randomModel()].map(encodeOnnxModel);

  const mutated = fc
    .record({
      source: fc.integer({ min: 0, max: sources.length - 1 }),
      edits: fc.array(
        fc.record({
          kind: fc.constantFrom('set', 'cut', 'insert'),
          at: fc.nat(),
          byte: fc.integer({ min: 0, max: 255 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    })
    .map(({ source, edits }) => {
      let bytes = Array.from(sources[source]!);
      for (const edit of edits) {
        const at = edit.at % (bytes.length + 1);
        if (edit.kind === 'set' && at < bytes.length) bytes[at] = edit.byte;
        else if (edit.kind === 'cut') bytes = bytes.slice(0, at);
        else bytes.splice(at, 0, edit.byte);
      }
      return new Uint8Array(bytes);
    });

  const onlyTyped = async (action: () => unknown) => {
    try {
      await action();
    } catch (error) {
      if (!ReprokitError.isInstance(error)) throw error;
    }
  };

  it('readOnnxCheckpoint', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (bytes) => {
        await onlyTyped(() => readOnnxCheckpoint(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it('scanRawData and patchOnnxWeights', async () => {
    const checkpoint = await readOnnxCheckpoint(sources[0]!);
    await fc.assert(
      fc.asyncProperty(mutated, async (bytes) => {
        await onlyTyped(() => scanRawData(bytes));
        await onlyTyped(() => patchOnnxWeights(bytes, checkpoint, { strict: false }));
      }),
      { numRuns: 400 },
    );
  });

  it('huge dims claims are refused with a typed error, never a huge allocation', async () => {
    const huge = [2n ** 40n, 2n ** 20n];
    const typed = create(TensorProtoSchema, { name: 't', dataType: 1, dims: huge, floatData: [1] });
    const raw = create(TensorProtoSchema, {
      name: 'r',
      dataType: 1,
      dims: huge,
      rawData: new Uint8Array(4),
    });
    const external = create(TensorProtoSchema, {
      name: 'e',
      dataType: 1,
      dims: huge,
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [create(StringStringEntryProtoSchema, { key: 'location', value: 'w.bin' })],
    });
    for (const tensor of [typed, raw, external]) {
      const onnx = model(graph({ node: [], initializer: [tensor], output: [] }));
      onnx.externalFiles.set('w.bin', new Uint8Array(16));
      let caught: unknown;
      try {
        await readOnnxCheckpoint(onnx);
      } catch (error) {
        caught = error;
      }
      expect(ReprokitError.isInstance(caught), tensor.name).toBe(true);
      expect([(caught as ReprokitError).code, (caught as ReprokitError).tensor]).toEqual([
        tensor.name === 'e' ? 'ONNX_EXTERNAL_DATA_RANGE' : 'ONNX_TENSOR_SIZE_MISMATCH',
        tensor.name,
      ]);
    }
  });
});
