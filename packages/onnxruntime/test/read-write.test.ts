import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  type Checkpoint,
  createCheckpoint,
  DTYPES,
  encodeSafetensors,
  parseSafetensorsHeader,
  ReprokitError,
} from '@reprokit/core';
import { readSafetensors } from '@reprokit/core/node';
import {
  StringStringEntryProtoSchema,
  type TensorProto,
  TensorProto_DataLocation,
  TensorProto_DataType,
  TensorProtoSchema,
} from 'onnx-buf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeOnnxModel,
  dtypeToOnnxDataType,
  encodeOnnxModel,
  listInitializers,
  onnxCheckpoint,
  onnxDataTypeToDtype,
  writeOnnx,
} from '../src/index.js';
// The Node entry's readOnnxCheckpoint takes paths as well as bytes and models.
import { loadOnnxModel, readOnnxCheckpoint, saveOnnxModel } from '../src/node/index.js';
import {
  denseModel,
  f32,
  f32Tensor,
  floats,
  graph,
  ifModel,
  model,
  node,
  quarters,
  replacementCheckpoint,
  valueInfo,
} from './onnx-model-builder.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-onnx-rw-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function single(tensor: TensorProto) {
  return model(
    graph({
      node: [node('Identity', [tensor.name], ['y'])],
      initializer: [tensor],
      output: [valueInfo('y', [])],
    }),
  );
}

async function errorOf(promise: Promise<unknown> | (() => unknown)): Promise<ReprokitError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (ReprokitError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ReprokitError');
}

function expectSameCheckpoint(actual: Checkpoint, expected: Checkpoint, anyOrder = false) {
  const names = (checkpoint: Checkpoint) =>
    anyOrder ? [...checkpoint.tensors.keys()].sort() : [...checkpoint.tensors.keys()];
  expect(names(actual)).toEqual(names(expected));
  for (const [name, tensor] of expected.tensors) {
    const other = actual.tensors.get(name)!;
    expect([other.dtype, [...other.shape]]).toEqual([tensor.dtype, [...tensor.shape]]);
    expect(Buffer.compare(other.data, tensor.data), name).toBe(0);
  }
}

describe('dtype mapping', () => {
  it('maps every reprokit dtype to ONNX and back', () => {
    for (const dtype of DTYPES) {
      expect(onnxDataTypeToDtype(dtypeToOnnxDataType(dtype))).toBe(dtype);
    }
    expect(dtypeToOnnxDataType('BF16')).toBe(TensorProto_DataType.BFLOAT16);
    expect(onnxDataTypeToDtype(TensorProto_DataType.STRING)).toBeUndefined();
    expect(onnxDataTypeToDtype(TensorProto_DataType.FLOAT8E4M3FNUZ)).toBeUndefined();
    expect(onnxDataTypeToDtype(TensorProto_DataType.INT4)).toBeUndefined();
  });
});

describe('readOnnxCheckpoint', () => {
  it('reads raw_data initializers with their dtype, shape and values', async () => {
    const checkpoint = await readOnnxCheckpoint(denseModel());
    expect([...checkpoint.tensors.keys()]).toEqual(['W', 'B', 'G', 'C']);
    const w = checkpoint.tensors.get('W')!;
    expect([w.dtype, w.shape]).toEqual(['F32', [3, 4]]);
    expect(floats(w)).toEqual(quarters(12, 0));
  });

  it('reads the typed fields, FLOAT16/BFLOAT16 bit patterns in int32_data included', async () => {
    const cases: Array<[MessageInitShape<typeof TensorProtoSchema>, string, number[], Uint8Array]> =
      [
        [{ dataType: 1, floatData: [1.5, -2] }, 'F32', [2], f32([1.5, -2])],
        [
          { dataType: 11, doubleData: [0.1] },
          'F64',
          [1],
          new Uint8Array(new Float64Array([0.1]).buffer),
        ],
        [
          { dataType: 7, int64Data: [-3n, 2n ** 40n] },
          'I64',
          [2],
          new Uint8Array(new BigInt64Array([-3n, 2n ** 40n]).buffer),
        ],
        [
          { dataType: 13, uint64Data: [2n ** 63n] },
          'U64',
          [1],
          new Uint8Array(new BigUint64Array([2n ** 63n]).buffer),
        ],
        [
          { dataType: 12, uint64Data: [4294967295n] },
          'U32',
          [1],
          new Uint8Array([255, 255, 255, 255]),
        ],
        [
          { dataType: 6, int32Data: [-1, 7] },
          'I32',
          [2],
          new Uint8Array(new Int32Array([-1, 7]).buffer),
        ],
        [{ dataType: 5, int32Data: [-2] }, 'I16', [1], new Uint8Array([0xfe, 0xff])],
        [{ dataType: 4, int32Data: [65535] }, 'U16', [1], new Uint8Array([0xff, 0xff])],
        [{ dataType: 3, int32Data: [-128] }, 'I8', [1], new Uint8Array([0x80])],
        [{ dataType: 2, int32Data: [200] }, 'U8', [1], new Uint8Array([200])],
        [{ dataType: 9, int32Data: [1, 0] }, 'BOOL', [2], new Uint8Array([1, 0])],
        // 0x3c00 is 1.0 in float16; 0xc000 is -2.0 in bfloat16.
        [{ dataType: 10, int32Data: [0x3c00] }, 'F16', [1], new Uint8Array([0x00, 0x3c])],
        [{ dataType: 16, int32Data: [0xc000] }, 'BF16', [1], new Uint8Array([0x00, 0xc0])],
        [{ dataType: 17, int32Data: [0x38] }, 'F8_E4M3', [1], new Uint8Array([0x38])],
      ];
    for (const [fields, dtype, shape, expected] of cases) {
      const tensor = create(TensorProtoSchema, { name: 't', dims: shape.map(BigInt), ...fields });
      const checkpoint = await readOnnxCheckpoint(single(tensor));
      const read = checkpoint.tensors.get('t')!;
      expect([read.dtype, read.shape], dtype).toEqual([dtype, shape]);
      expect([...read.data], dtype).toEqual([...expected]);
    }
  });

  it('names subgraph initializers by node and attribute, uniquely, mapping back to their graph', async () => {
    const onnx = ifModel();
    const entries = listInitializers(onnx);
    expect(entries.map((entry) => [entry.name, entry.graphPath])).toEqual([
      ['S', []],
      ['choose.then_branch::T', ['choose.then_branch']],
      ['choose.else_branch::E', ['choose.else_branch']],
    ]);
    const checkpoint = await readOnnxCheckpoint(onnx);
    expect(floats(checkpoint.tensors.get('choose.else_branch::E')!)).toEqual([10, 20, 30]);
  });

  it('reads a model from a path, with external data relative to its folder', async () => {
    const dir = await mkdtemp(join(folder, 'ext-'));
    const values = [1, 2, 3, 4, 5, 6];
    const data = new Uint8Array(64);
    data.set(f32(values), 16);
    await writeFile(join(dir, 'weights.bin'), data);
    const tensor = create(TensorProtoSchema, {
      name: 'w',
      dims: [2n, 3n],
      dataType: 1,
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [
        create(StringStringEntryProtoSchema, { key: 'location', value: './weights.bin' }),
        create(StringStringEntryProtoSchema, { key: 'offset', value: '16' }),
        create(StringStringEntryProtoSchema, { key: 'length', value: '24' }),
      ],
    });
    await writeFile(join(dir, 'model.onnx'), encodeOnnxModel(single(tensor)));
    const checkpoint = await readOnnxCheckpoint(join(dir, 'model.onnx'));
    expect(floats(checkpoint.tensors.get('w')!)).toEqual(values);
  });
});

describe('writeOnnx', () => {
  it('embedded: read, write, read is bitwise identical, and the input model is unchanged', async () => {
    const original = denseModel();
    const before = encodeOnnxModel(original);
    const replacement = replacementCheckpoint(await readOnnxCheckpoint(original), 5);
    const written = await writeOnnx(original, replacement);
    expect(Buffer.compare(encodeOnnxModel(original), before)).toBe(0);
    const reread = await readOnnxCheckpoint(decodeOnnxModel(encodeOnnxModel(written)));
    expectSameCheckpoint(reread, replacement);
    const again = await writeOnnx(decodeOnnxModel(encodeOnnxModel(written)), reread);
    expect(Buffer.compare(encodeOnnxModel(again), encodeOnnxModel(written))).toBe(0);
  });

  it('replaces typed-field data with raw_data, leaving one source of values', async () => {
    const tensor = create(TensorProtoSchema, {
      name: 't',
      dims: [2n],
      dataType: 1,
      floatData: [1, 2],
    });
    const written = await writeOnnx(
      single(tensor),
      createCheckpoint([['t', { dtype: 'F32', shape: [2], data: f32([3, 4]) }]]),
    );
    const proto = written.proto.graph!.initializer[0]!;
    expect([proto.floatData, floats(proto.rawData)]).toEqual([[], [3, 4]]);
  });

  it('external: one safetensors file holds the weights, at offset 8 + headerLength + begin', async () => {
    const dir = await mkdtemp(join(folder, 'out-'));
    const original = ifModel();
    const replacement = replacementCheckpoint(await readOnnxCheckpoint(original), 9);
    const written = await writeOnnx(original, replacement, { externalData: 'model.safetensors' });
    await saveOnnxModel(written, join(dir, 'model.onnx'));
    const file = new Uint8Array(await readFile(join(dir, 'model.safetensors')));
    expect(Buffer.compare(file, encodeSafetensors(replacement))).toBe(0);
    const header = parseSafetensorsHeader(file);
    const init = written.proto.graph!.initializer[0]!;
    const entries = Object.fromEntries(init.externalData.map((entry) => [entry.key, entry.value]));
    const info = header.tensors.get('S')!;
    expect(entries).toEqual({
      location: 'model.safetensors',
      offset: String(8 + header.headerLength + info.begin),
      length: String(info.end - info.begin),
    });
    // The same file read as safetensors (what tfjs loads) and through the ONNX model agree.
    expectSameCheckpoint(await readSafetensors(join(dir, 'model.safetensors')), replacement, true);
    const viaOnnx = await readOnnxCheckpoint(join(dir, 'model.onnx'));
    expectSameCheckpoint(viaOnnx, replacement);
    // Read, write, read again through the external layout: same bytes on disk.
    const dir2 = await mkdtemp(join(folder, 'out2-'));
    await saveOnnxModel(
      await writeOnnx(await loadOnnxModel(join(dir, 'model.onnx')), viaOnnx, {
        externalData: 'model.safetensors',
      }),
      join(dir2, 'model.onnx'),
    );
    expect(
      Buffer.compare(
        await readFile(join(dir2, 'model.onnx')),
        await readFile(join(dir, 'model.onnx')),
      ),
    ).toBe(0);
    expect(Buffer.compare(await readFile(join(dir2, 'model.safetensors')), file)).toBe(0);
  });

  it('strict by default: one CheckpointMismatchError lists every missing, unexpected and mismatched tensor', async () => {
    const checkpoint = await readOnnxCheckpoint(denseModel());
    checkpoint.tensors.delete('W');
    checkpoint.tensors.set('Bias', checkpoint.tensors.get('B')!);
    const g = checkpoint.tensors.get('G')!;
    checkpoint.tensors.set('G', { ...g, shape: [3, 5] });
    const c = checkpoint.tensors.get('C')!;
    checkpoint.tensors.set('C', { ...c, dtype: 'I32', data: c.data.subarray(0, 20) });
    const error = await errorOf(writeOnnx(denseModel(), checkpoint));
    expect(error.code).toBe('CHECKPOINT_MISMATCH');
    const report = (
      error as ReprokitError & {
        report: {
          missing: Array<{ name: string }>;
          unexpected: Array<{ name: string }>;
          mismatched: Array<{ name: string }>;
        };
      }
    ).report;
    expect(report.missing.map((entry) => entry.name)).toEqual(['W']);
    expect(report.unexpected.map((entry) => entry.name)).toEqual(['Bias']);
    expect(report.mismatched.map((entry) => entry.name)).toEqual(['G', 'C']);
    expect(error.message).toContain('model wants F32 [5,3], checkpoint has F32 [3,5]');
  });

  it('non-strict external writes keep tensors that lived in the replaced file', async () => {
    const adapter = onnxCheckpoint({ externalData: 'model.safetensors' });
    const onnx = denseModel();
    const first = replacementCheckpoint(await readOnnxCheckpoint(onnx), 1);
    await adapter.write(onnx, first);
    // Second write replaces model.safetensors but lacks W: W must keep its bytes.
    const partial = createCheckpoint([
      ['B', { dtype: 'F32', shape: [4], data: f32([7, 7, 7, 7]) }],
    ]);
    const report = await adapter.write(onnx, partial, { strict: false });
    expect(report.missing.map((entry) => entry.name)).toEqual(['W', 'G', 'C']);
    const after = await adapter.read(onnx);
    expect(floats(after.tensors.get('B')!)).toEqual([7, 7, 7, 7]);
    for (const name of ['W', 'G', 'C']) {
      expect(floats(after.tensors.get(name)!), name).toEqual(floats(first.tensors.get(name)!));
    }
  });

  it('non-strict keeps the model data of tensors the checkpoint lacks', async () => {
    const original = denseModel();
    const partial = createCheckpoint([
      ['B', { dtype: 'F32', shape: [4], data: f32([9, 9, 9, 9]) }],
    ]);
    const written = await writeOnnx(original, partial, { strict: false });
    const checkpoint = await readOnnxCheckpoint(written);
    expect(floats(checkpoint.tensors.get('B')!)).toEqual([9, 9, 9, 9]);
    expect(floats(checkpoint.tensors.get('W')!)).toEqual(quarters(12, 0));
  });
});

describe('bad input gets a typed error naming what and where', () => {
  it('truncated bytes', async () => {
    const bytes = encodeOnnxModel(denseModel());
    const error = await errorOf(readOnnxCheckpoint(bytes.subarray(0, bytes.length - 10)));
    expect([error.code, error.file]).toEqual(['ONNX_DECODE_FAILED', '<bytes>']);
    // The offset of the field that runs past the end: inside the model, before the cut.
    expect(error.byteOffset).toBeGreaterThanOrEqual(0);
    expect(error.byteOffset!).toBeLessThan(bytes.length - 10);
    const unreadable = await errorOf(readOnnxCheckpoint(join(folder, 'no-such-model.onnx')));
    expect([unreadable.code, unreadable.file]).toEqual([
      'ONNX_READ_FAILED',
      join(folder, 'no-such-model.onnx'),
    ]);
  });

  it('non-ONNX bytes', async () => {
    const text = await errorOf(readOnnxCheckpoint(new TextEncoder().encode('{"not": "onnx"}')));
    expect(text.code).toBe('ONNX_DECODE_FAILED');
    // Valid protobuf that is no model (an ir_version and nothing else) is refused too.
    const noGraph = new Uint8Array([0x08, 0x07]);
    expect((await errorOf(readOnnxCheckpoint(noGraph))).code).toBe('ONNX_NOT_A_MODEL');
  });

  it('raw_data whose length does not match dims times dtype size', async () => {
    const error = await errorOf(readOnnxCheckpoint(single(f32Tensor('w', [2, 2], [1, 2, 3]))));
    expect([error.code, error.tensor]).toEqual(['ONNX_TENSOR_SIZE_MISMATCH', 'w']);
    expect(error.message).toContain('12 bytes of data, but dims [2,2] of F32 need 16');
  });

  it('typed field with the wrong number of values', async () => {
    const tensor = create(TensorProtoSchema, {
      name: 'h',
      dims: [3n],
      dataType: 10,
      int32Data: [1, 2],
    });
    const error = await errorOf(readOnnxCheckpoint(single(tensor)));
    expect([error.code, error.tensor]).toEqual(['ONNX_TENSOR_SIZE_MISMATCH', 'h']);
  });

  it('unknown or unsupported data types', async () => {
    const strings = create(TensorProtoSchema, {
      name: 's',
      dims: [1n],
      dataType: 8,
      stringData: [new Uint8Array([65])],
    });
    const stringError = await errorOf(readOnnxCheckpoint(single(strings)));
    expect([stringError.code, stringError.tensor]).toEqual(['ONNX_UNSUPPORTED_DTYPE', 's']);
    expect(stringError.message).toContain('STRING');
    const unknown = create(TensorProtoSchema, {
      name: 'u',
      dims: [1n],
      dataType: 99,
      rawData: new Uint8Array(4),
    });
    const unknownError = await errorOf(readOnnxCheckpoint(single(unknown)));
    expect([unknownError.code, unknownError.tensor]).toEqual(['ONNX_UNSUPPORTED_DTYPE', 'u']);
    expect(unknownError.message).toContain('#99');
  });

  const external = (location: string, offset?: string, length?: string) =>
    create(TensorProtoSchema, {
      name: 'ext',
      dims: [2n],
      dataType: 1,
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [
        create(StringStringEntryProtoSchema, { key: 'location', value: location }),
        ...(offset === undefined
          ? []
          : [create(StringStringEntryProtoSchema, { key: 'offset', value: offset })]),
        ...(length === undefined
          ? []
          : [create(StringStringEntryProtoSchema, { key: 'length', value: length })]),
      ],
    });

  it('external data locations that are absolute or leave the model folder', async () => {
    for (const location of ['/etc/passwd', 'C:\\weights.bin', '../secret.bin', 'a/../../b.bin']) {
      const error = await errorOf(readOnnxCheckpoint(single(external(location))));
      expect([error.code, error.tensor], location).toEqual(['ONNX_EXTERNAL_DATA_PATH', 'ext']);
    }
  });

  it('external data reached through a symbolic link that leaves the folder', async () => {
    const outside = await mkdtemp(join(folder, 'outside-'));
    await writeFile(join(outside, 'secret.bin'), new Uint8Array(8));
    const dir = await mkdtemp(join(folder, 'link-'));
    await symlink(join(outside, 'secret.bin'), join(dir, 'w.bin'));
    await writeFile(join(dir, 'model.onnx'), encodeOnnxModel(single(external('w.bin'))));
    const error = await errorOf(readOnnxCheckpoint(join(dir, 'model.onnx')));
    expect([error.code, error.tensor]).toEqual(['ONNX_EXTERNAL_DATA_PATH', 'ext']);
  });

  it('external data offset or length past the end, or not a number', async () => {
    const dir = await mkdtemp(join(folder, 'range-'));
    await writeFile(join(dir, 'w.bin'), new Uint8Array(12));
    for (const [offset, length] of [
      ['8', '8'],
      ['16', undefined],
    ] as const) {
      await writeFile(
        join(dir, 'model.onnx'),
        encodeOnnxModel(single(external('w.bin', offset, length))),
      );
      const error = await errorOf(readOnnxCheckpoint(join(dir, 'model.onnx')));
      expect([error.code, error.tensor, error.byteOffset]).toEqual([
        'ONNX_EXTERNAL_DATA_RANGE',
        'ext',
        Number(offset),
      ]);
      expect(error.file).toBe(join(dir, 'w.bin'));
    }
    const wrongLength = await errorOf(readOnnxCheckpoint(single(external('w.bin', '0', '12'))));
    expect(wrongLength.code).toBe('ONNX_TENSOR_SIZE_MISMATCH');
    const notNumber = await errorOf(readOnnxCheckpoint(single(external('w.bin', '-4'))));
    expect(notNumber.code).toBe('ONNX_EXTERNAL_DATA_INVALID');
  });

  it('external data that cannot be found', async () => {
    const fromBytes = await errorOf(readOnnxCheckpoint(encodeOnnxModel(single(external('w.bin')))));
    expect([fromBytes.code, fromBytes.tensor]).toEqual(['ONNX_EXTERNAL_DATA_MISSING', 'ext']);
    const dir = await mkdtemp(join(folder, 'missing-'));
    await writeFile(join(dir, 'model.onnx'), encodeOnnxModel(single(external('nowhere.bin'))));
    const missing = await errorOf(readOnnxCheckpoint(join(dir, 'model.onnx')));
    expect([missing.code, missing.file]).toEqual([
      'ONNX_EXTERNAL_DATA_MISSING',
      join(dir, 'nowhere.bin'),
    ]);
  });

  it('an unsafe externalData option is refused before anything is written', async () => {
    const checkpoint = await readOnnxCheckpoint(denseModel());
    const error = await errorOf(
      writeOnnx(denseModel(), checkpoint, { externalData: '../up.safetensors' }),
    );
    expect(error.code).toBe('ONNX_EXTERNAL_DATA_PATH');
  });
});
