import { create, toBinary } from '@bufbuild/protobuf';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  type TensorProto,
  TensorProto_DataLocation,
  TensorProto_DataType,
  TensorProto_SegmentSchema,
  TensorProtoSchema,
} from 'onnx-buf';
import { type CorpusCase, utf8 } from './corpus-case.js';

function modelBytes(initializer: TensorProto[], withGraph = true): Uint8Array {
  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: 8n,
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })],
      ...(withGraph ? { graph: create(GraphProtoSchema, { name: 'g', initializer }) } : {}),
    }),
  );
}

const raw = (name: string, dims: bigint[], bytes: number, dataType = TensorProto_DataType.FLOAT) =>
  create(TensorProtoSchema, { name, dataType, dims, rawData: new Uint8Array(bytes).fill(1) });

const external = (name: string, entries: Record<string, string>) =>
  create(TensorProtoSchema, {
    name,
    dataType: TensorProto_DataType.FLOAT,
    dims: [2n],
    dataLocation: TensorProto_DataLocation.EXTERNAL,
    externalData: Object.entries(entries).map(([key, value]) =>
      create(StringStringEntryProtoSchema, { key, value }),
    ),
  });

/**
 * The malformed ONNX models of the corpus: each case is `<case>.onnx` plus, where it uses
 * external data, `<case>.bin`.
 *
 * @example
 * onnxCorpus().find((c) => c.name === 'external-escapes')?.code; // 'ONNX_EXTERNAL_DATA_PATH'
 */
export function onnxCorpus(): CorpusCase[] {
  const make = (
    name: string,
    code: string,
    why: string,
    model: Uint8Array,
    data?: Uint8Array,
  ): CorpusCase => ({
    name,
    code,
    why,
    files: new Map([
      [`${name}.onnx`, model],
      ...(data === undefined ? [] : [[`${name}.bin`, data] as const]),
    ]),
  });
  const good = modelBytes([raw('w', [2n, 2n], 16)]);
  const data8 = new Uint8Array(new Float32Array([1, 2]).buffer);
  return [
    make(
      'truncated',
      'ONNX_DECODE_FAILED',
      'a valid model cut in the middle of its graph',
      good.subarray(0, good.length - 5),
    ),
    make(
      'not-protobuf',
      'ONNX_DECODE_FAILED',
      'text, not protobuf',
      utf8('this is not an onnx model\n'),
    ),
    make('empty', 'ONNX_NOT_A_MODEL', 'zero bytes decode to an empty message', new Uint8Array()),
    make('no-graph', 'ONNX_NOT_A_MODEL', 'ir_version but no graph', modelBytes([], false)),
    make(
      'unsupported-dtype',
      'ONNX_UNSUPPORTED_DTYPE',
      'a STRING initializer',
      modelBytes([raw('s', [1n], 1, TensorProto_DataType.STRING)]),
    ),
    make(
      'raw-data-wrong-size',
      'ONNX_TENSOR_SIZE_MISMATCH',
      'FLOAT [2,2] with 12 bytes of raw_data',
      modelBytes([raw('w', [2n, 2n], 12)]),
    ),
    make(
      'negative-dim',
      'ONNX_TENSOR_SIZE_MISMATCH',
      'a dimension of -1',
      modelBytes([raw('w', [-1n], 4)]),
    ),
    make(
      'segmented',
      'ONNX_TENSOR_NO_DATA',
      'a segment of a larger tensor',
      modelBytes([
        create(TensorProtoSchema, {
          name: 'w',
          dataType: TensorProto_DataType.FLOAT,
          dims: [1n],
          rawData: new Uint8Array(4),
          segment: create(TensorProto_SegmentSchema, { begin: 0n, end: 1n }),
        }),
      ]),
    ),
    make(
      'no-data',
      'ONNX_TENSOR_SIZE_MISMATCH',
      'FLOAT [2] with no data at all',
      modelBytes([
        create(TensorProtoSchema, { name: 'w', dataType: TensorProto_DataType.FLOAT, dims: [2n] }),
      ]),
    ),
    make(
      'duplicate-initializer',
      'ONNX_DUPLICATE_INITIALIZER',
      'two initializers named w',
      modelBytes([raw('w', [1n], 4), raw('w', [1n], 4)]),
    ),
    make(
      'external-absolute',
      'ONNX_EXTERNAL_DATA_PATH',
      'external data at /etc/passwd',
      modelBytes([external('w', { location: '/etc/passwd' })]),
    ),
    make(
      'external-escapes',
      'ONNX_EXTERNAL_DATA_PATH',
      'external data at ../outside.bin',
      modelBytes([external('w', { location: '../outside.bin' })]),
    ),
    make(
      'external-no-location',
      'ONNX_EXTERNAL_DATA_INVALID',
      'external data without a location',
      modelBytes([external('w', { offset: '0' })]),
    ),
    make(
      'external-bad-offset',
      'ONNX_EXTERNAL_DATA_INVALID',
      'offset "-8"',
      modelBytes([external('w', { location: 'external-bad-offset.bin', offset: '-8' })]),
      data8,
    ),
    make(
      'external-out-of-range',
      'ONNX_EXTERNAL_DATA_RANGE',
      'offset 4 length 8 in an 8-byte file',
      modelBytes([
        external('w', { location: 'external-out-of-range.bin', offset: '4', length: '8' }),
      ]),
      data8,
    ),
    make(
      'external-missing',
      'ONNX_EXTERNAL_DATA_MISSING',
      'the external data file is not there',
      modelBytes([external('w', { location: 'external-missing.bin' })]),
    ),
  ];
}
