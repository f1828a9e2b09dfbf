import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { create } from '@bufbuild/protobuf';
import { type ByteSource, bytesSource, createCheckpoint, ReprokitError } from '@reprokit/core';
import fc from 'fast-check';
import { TensorProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import {
  decodeOnnxModel,
  encodeOnnxModel,
  listInitializers,
  type OnnxModel,
  patchOnnxWeights,
  readOnnxCheckpoint,
  writeOnnx,
} from '../src/index.js';
import { scanRawData } from '../src/internal/index.js';
import { readInitializerHeaders } from '../src/wire/initializer-headers.js';
import {
  attr,
  convModel,
  denseModel,
  f32,
  f32Tensor,
  floats,
  graph,
  ifModel,
  model,
  node,
  randomModel,
  replacementCheckpoint,
  valueInfo,
} from './onnx-model-builder.js';

/** The scanner must agree with onnx-buf's full decoding on every initializer. */
function expectScanMatchesDecoding(onnx: OnnxModel) {
  const bytes = encodeOnnxModel(onnx);
  const scanned = scanRawData(bytes);
  const decoded = listInitializers(decodeOnnxModel(bytes));
  expect(scanned.map((entry) => entry.name)).toEqual(decoded.map((entry) => entry.name));
  scanned.forEach((entry, index) => {
    const tensor = decoded[index]!.tensor;
    expect(entry.dataType).toBe(tensor.dataType);
    expect(entry.dims).toEqual(tensor.dims.map(Number));
    if (entry.rawDataOffset < 0) {
      expect(tensor.rawData.byteLength).toBe(0);
    } else {
      const slice = bytes.subarray(entry.rawDataOffset, entry.rawDataOffset + entry.rawDataLength);
      expect(Buffer.compare(slice, tensor.rawData)).toBe(0);
    }
  });
  return scanned;
}

describe('scanRawData', () => {
  it('finds the same raw_data ranges as onnx-buf decoding, subgraphs included', () => {
    for (const onnx of [denseModel(), convModel(), ifModel(), randomModel()]) {
      expect(expectScanMatchesDecoding(onnx).length).toBeGreaterThan(0);
    }
    expect(scanRawData(encodeOnnxModel(ifModel())).map((entry) => entry.name)).toEqual([
      'S',
      'choose.then_branch::T',
      'choose.else_branch::E',
    ]);
  });

  it('agrees with decoding on random models (names, dims, typed fields, unnamed nodes)', () => {
    const tensorArbitrary = fc.record({
      dims: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
      typed: fc.boolean(),
      name: fc.string({ maxLength: 12 }),
    });
    fc.assert(
      fc.property(
        fc.array(tensorArbitrary, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (specs, nest) => {
          const initializers = specs.map((spec, index) => {
            const count = spec.dims.reduce((a, b) => a * b, 1);
            const values = Array.from({ length: count }, (_, i) => i * 0.5);
            const name = `${spec.name}_${index}`;
            return spec.typed
              ? create(TensorProtoSchema, {
                  name,
                  dataType: 1,
                  dims: spec.dims.map(BigInt),
                  floatData: values,
                })
              : f32Tensor(name, spec.dims, values);
          });
          const inner = graph({ node: [], initializer: initializers.slice(0, 2), output: [] });
          const onnx = model(
            graph({
              node: nest ? [node('If', ['c'], ['y'], [attr.graph('then_branch', inner)])] : [],
              initializer: initializers,
              output: [valueInfo('y', [])],
            }),
          );
          expectScanMatchesDecoding(onnx);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports malformed wire data with its byte offset', () => {
    const bytes = encodeOnnxModel(denseModel());
    let caught: unknown;
    try {
      scanRawData(bytes.subarray(0, bytes.length - 7));
    } catch (error) {
      caught = error;
    }
    expect(ReprokitError.isInstance(caught)).toBe(true);
    const error = caught as ReprokitError;
    expect(error.code).toBe('ONNX_DECODE_FAILED');
    expect(typeof error.byteOffset).toBe('number');
    expect(error.byteOffset!).toBeLessThan(bytes.length);
  });
});

describe('patchOnnxWeights', () => {
  it('swaps weights in place: the patched bytes decode to the new checkpoint, everything else identical', async () => {
    const original = encodeOnnxModel(ifModel());
    const copy = original.slice();
    const replacement = replacementCheckpoint(await readOnnxCheckpoint(original), 3);
    const { bytes, report } = patchOnnxWeights(original, replacement);
    expect(report.loaded).toEqual(['S', 'choose.then_branch::T', 'choose.else_branch::E']);
    expect(Buffer.compare(original, copy)).toBe(0);
    const read = await readOnnxCheckpoint(bytes);
    for (const [name, tensor] of replacement.tensors) {
      expect(floats(read.tensors.get(name)!)).toEqual(floats(tensor));
    }
    // Same bytes as a full decode, write and re-encode would give.
    const viaWrite = encodeOnnxModel(await writeOnnx(original, replacement));
    expect(Buffer.compare(bytes, viaWrite)).toBe(0);
  });

  it('inPlace overwrites the given buffer', async () => {
    const bytes = encodeOnnxModel(denseModel());
    const replacement = replacementCheckpoint(await readOnnxCheckpoint(bytes), 4);
    const result = patchOnnxWeights(bytes, replacement, { inPlace: true });
    expect(result.bytes).toBe(bytes);
    expect(floats((await readOnnxCheckpoint(bytes)).tensors.get('W')!)).toEqual(
      floats(replacement.tensors.get('W')!),
    );
  });

  it('refuses mismatches and typed-field initializers without touching a byte', async () => {
    const bytes = encodeOnnxModel(denseModel());
    const copy = bytes.slice();
    const checkpoint = await readOnnxCheckpoint(bytes);
    checkpoint.tensors.set('W', { dtype: 'F32', shape: [4, 3], data: new Uint8Array(48) });
    expect(() => patchOnnxWeights(bytes, checkpoint, { inPlace: true })).toThrow(
      /CHECKPOINT|model wants F32 \[3,4\]/,
    );
    expect(Buffer.compare(bytes, copy)).toBe(0);

    const typed = model(
      graph({
        node: [],
        initializer: [
          create(TensorProtoSchema, { name: 't', dims: [2n], dataType: 1, floatData: [1, 2] }),
        ],
        output: [],
      }),
    );
    let caught: unknown;
    try {
      patchOnnxWeights(
        encodeOnnxModel(typed),
        createCheckpoint([['t', { dtype: 'F32', shape: [2], data: f32([3, 4]) }]]),
      );
    } catch (error) {
      caught = error;
    }
    expect([(caught as ReprokitError).code, (caught as ReprokitError).tensor]).toEqual([
      'ONNX_PATCH_MISMATCH',
      't',
    ]);
  });
});

/** A source that counts the bytes read from it. */
function countingSource(bytes: Uint8Array): ByteSource & { readonly bytesRead: () => number } {
  const source = bytesSource(bytes, 'model.onnx');
  let total = 0;
  return {
    ...source,
    name: source.name,
    size: source.size,
    read(offset, length, options) {
      total += length;
      return source.read(offset, length, options);
    },
    bytesRead: () => total,
  };
}

async function expectHeadersMatchDecoding(bytes: Uint8Array) {
  const headers = await readInitializerHeaders(bytesSource(bytes));
  const decoded = listInitializers(decodeOnnxModel(bytes));
  expect(headers.map((header) => header.name)).toEqual(decoded.map((entry) => entry.name));
  headers.forEach((header, index) => {
    const tensor = decoded[index]!.tensor;
    expect(header.dataType).toBe(tensor.dataType);
    expect(header.dims).toEqual(tensor.dims.map(Number));
    expect(header.external).toBe(tensor.dataLocation === 1);
    expect(header.location).toBe(tensor.externalData.find((e) => e.key === 'location')?.value);
  });
  return headers;
}

describe('readInitializerHeaders', () => {
  const fixtures = fileURLToPath(new URL('./fixtures/onnx-python/', import.meta.url));

  it('lists what decoding lists, subgraphs and external data included, from other writers too', async () => {
    for (const onnx of [denseModel(), convModel(), ifModel(), randomModel()]) {
      expect((await expectHeadersMatchDecoding(encodeOnnxModel(onnx))).length).toBeGreaterThan(0);
    }
    for (const file of [
      'typed-fields.onnx',
      'external/model.onnx',
      'if-shapes.onnx',
      'subgraph-external/if-shapes.onnx',
      'subgraph-external/loop-shapes.onnx',
    ]) {
      await expectHeadersMatchDecoding(new Uint8Array(await readFile(`${fixtures}${file}`)));
    }
  });

  it('reads a few bytes per tensor, not the weights', async () => {
    const big = model(
      graph({
        node: [node('Identity', ['w'], ['y'])],
        initializer: [
          f32Tensor(
            'w',
            [256, 256],
            Array.from({ length: 65_536 }, (_, i) => i),
          ),
        ],
        output: [valueInfo('y', [256, 256])],
      }),
    );
    const bytes = encodeOnnxModel(big);
    const source = countingSource(bytes);
    expect((await readInitializerHeaders(source)).map((header) => header.name)).toEqual(['w']);
    expect(bytes.length).toBeGreaterThan(262_144);
    expect(source.bytesRead()).toBeLessThan(1024);
  });

  it('agrees with decoding on random models', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            dims: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
            typed: fc.boolean(),
            name: fc.string({ maxLength: 12 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.boolean(),
        async (specs, nest) => {
          const initializers = specs.map((spec, index) => {
            const values = Array.from(
              { length: spec.dims.reduce((a, b) => a * b, 1) },
              (_, i) => i,
            );
            const name = `${spec.name}_${index}`;
            return spec.typed
              ? create(TensorProtoSchema, {
                  name,
                  dataType: 1,
                  dims: spec.dims.map(BigInt),
                  floatData: values,
                })
              : f32Tensor(name, spec.dims, values);
          });
          const inner = graph({ node: [], initializer: initializers.slice(0, 2), output: [] });
          await expectHeadersMatchDecoding(
            encodeOnnxModel(
              model(
                graph({
                  node: nest ? [node('If', ['c'], ['y'], [attr.graph('then_branch', inner)])] : [],
                  initializer: initializers,
                  output: [valueInfo('y', [])],
                }),
              ),
            ),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses cut or non-model bytes with typed errors', async () => {
    const bytes = encodeOnnxModel(denseModel());
    await expect(
      readInitializerHeaders(bytesSource(bytes.subarray(0, bytes.length - 10))),
    ).rejects.toMatchObject({
      code: 'ONNX_DECODE_FAILED',
    });
    await expect(
      readInitializerHeaders(bytesSource(new Uint8Array([0x08, 0x07]))),
    ).rejects.toMatchObject({
      code: 'ONNX_NOT_A_MODEL',
    });
  });
});
