import { OnnxError } from '../errors/onnx-error.js';
import { nodeLabel, qualifiedName, subgraphSegment } from '../graph/initializer-names.js';

/** Where one initializer sits in the encoded model, found without decoding the model. */
export interface RawDataLocation {
  /** Qualified checkpoint name, as `readOnnxCheckpoint` names it. */
  readonly name: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  /** Absolute offset of the `raw_data` bytes in the model buffer; -1 when there are none. */
  readonly rawDataOffset: number;
  readonly rawDataLength: number;
  /** `data_location` is EXTERNAL. */
  readonly external: boolean;
}

// Field numbers from onnx.proto (ONNX 1.20).
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const NODE_NAME = 3;
const NODE_ATTRIBUTE = 5;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_G = 6;
const ATTRIBUTE_GRAPHS = 11;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const TENSOR_DATA_LOCATION = 14;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Find every initializer's `raw_data` byte range in an encoded ONNX model by walking the
 * protobuf wire format: only the graph, node, attribute and tensor headers are read, never the
 * weights, so a 1 GB model is scanned in milliseconds. Subgraphs are included with the same
 * qualified names as `readOnnxCheckpoint`. Malformed wire data throws `ONNX_DECODE_FAILED`
 * with the byte offset.
 *
 * @example
 * const [first] = scanRawData(bytes);
 * bytes.subarray(first.rawDataOffset, first.rawDataOffset + first.rawDataLength); // its weights
 */
export function scanRawData(bytes: Uint8Array, file = '<bytes>'): RawDataLocation[] {
  const scanner = new WireScanner(bytes, file);
  const results: RawDataLocation[] = [];
  let graph: [number, number] | undefined;
  scanner.fields(0, bytes.byteLength, (field, wire, start, end) => {
    if (field === MODEL_GRAPH && wire === WIRE_LEN) graph = [start, end];
  });
  if (graph !== undefined) scanGraph(scanner, graph[0], graph[1], [], results);
  return results;
}

function scanGraph(
  scanner: WireScanner,
  start: number,
  end: number,
  path: readonly string[],
  results: RawDataLocation[],
): void {
  const initializers: Array<[number, number]> = [];
  const nodes: Array<[number, number]> = [];
  scanner.fields(start, end, (field, wire, from, to) => {
    if (wire !== WIRE_LEN) return;
    if (field === GRAPH_INITIALIZER) initializers.push([from, to]);
    else if (field === GRAPH_NODE) nodes.push([from, to]);
  });
  for (const [from, to] of initializers) results.push(scanTensor(scanner, from, to, path));
  nodes.forEach(([from, to], index) => {
    let name = '';
    const attributes: Array<[number, number]> = [];
    scanner.fields(from, to, (field, wire, a, b) => {
      if (wire !== WIRE_LEN) return;
      if (field === NODE_NAME) name = scanner.text(a, b);
      else if (field === NODE_ATTRIBUTE) attributes.push([a, b]);
    });
    const label = nodeLabel(name, index);
    for (const [a, b] of attributes) {
      let attributeName = '';
      let single: [number, number] | undefined;
      const list: Array<[number, number]> = [];
      scanner.fields(a, b, (field, wire, c, d) => {
        if (wire !== WIRE_LEN) return;
        if (field === ATTRIBUTE_NAME) attributeName = scanner.text(c, d);
        else if (field === ATTRIBUTE_G) single = [c, d];
        else if (field === ATTRIBUTE_GRAPHS) list.push([c, d]);
      });
      if (single !== undefined) {
        scanGraph(
          scanner,
          single[0],
          single[1],
          [...path, subgraphSegment(label, attributeName)],
          results,
        );
      }
      list.forEach(([c, d], listIndex) => {
        scanGraph(
          scanner,
          c,
          d,
          [...path, subgraphSegment(label, attributeName, listIndex)],
          results,
        );
      });
    }
  });
}

function scanTensor(
  scanner: WireScanner,
  start: number,
  end: number,
  path: readonly string[],
): RawDataLocation {
  let name = '';
  let dataType = 0;
  const dims: number[] = [];
  let rawDataOffset = -1;
  let rawDataLength = 0;
  let external = false;
  scanner.fields(start, end, (field, wire, from, to, value) => {
    if (field === TENSOR_NAME && wire === WIRE_LEN) name = scanner.text(from, to);
    else if (field === TENSOR_RAW_DATA && wire === WIRE_LEN) {
      rawDataOffset = from;
      rawDataLength = to - from;
    } else if (field === TENSOR_DATA_TYPE && wire === WIRE_VARINT) dataType = value;
    else if (field === TENSOR_DATA_LOCATION && wire === WIRE_VARINT) external = value === 1;
    else if (field === TENSOR_DIMS && wire === WIRE_VARINT) dims.push(value);
    else if (field === TENSOR_DIMS && wire === WIRE_LEN) {
      // packed repeated int64
      let position = from;
      while (position < to) {
        const [dim, next] = scanner.varint(position, to);
        dims.push(dim);
        position = next;
      }
    }
  });
  return {
    name: qualifiedName(path, name),
    dataType,
    dims,
    rawDataOffset,
    rawDataLength,
    external,
  };
}

class WireScanner {
  readonly #bytes: Uint8Array;
  readonly #file: string;

  constructor(bytes: Uint8Array, file: string) {
    this.#bytes = bytes;
    this.#file = file;
  }

  text(start: number, end: number): string {
    return utf8.decode(this.#bytes.subarray(start, end));
  }

  /**
   * Call `visit` for each field in [start, end): LEN fields get their content range; varints
   * their value.
   */
  fields(
    start: number,
    end: number,
    visit: (field: number, wire: number, from: number, to: number, value: number) => void,
  ): void {
    let position = start;
    while (position < end) {
      const tagStart = position;
      const [tag, afterTag] = this.varint(position, end);
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 0) this.#fail('field number 0', tagStart);
      position = afterTag;
      switch (wire) {
        case WIRE_VARINT: {
          const [value, next] = this.varint(position, end);
          visit(field, wire, position, next, value);
          position = next;
          break;
        }
        case WIRE_FIXED64:
          position = this.#skip(position, 8, end, tagStart);
          break;
        case WIRE_FIXED32:
          position = this.#skip(position, 4, end, tagStart);
          break;
        case WIRE_LEN: {
          const [length, from] = this.varint(position, end);
          const to = this.#skip(from, length, end, tagStart);
          visit(field, wire, from, to, 0);
          position = to;
          break;
        }
        default:
          this.#fail(`unsupported wire type ${wire} (groups are not used by ONNX)`, tagStart);
      }
    }
  }

  /**
   * A varint as a number. Values past 2^53 (only negative int64s, which ONNX never has in
   * dims, data types or lengths) lose precision but stay huge, so they still fail checks.
   */
  varint(position: number, end: number): [number, number] {
    const bytes = this.#bytes;
    let result = 0;
    let scale = 1;
    let current = position;
    while (current < end && current - position < 10) {
      const byte = bytes[current++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return [result, current];
      scale *= 128;
    }
    return this.#fail('truncated or overlong varint', position);
  }

  #skip(position: number, length: number, end: number, tagStart: number): number {
    if (length < 0 || position + length > end) {
      this.#fail(`field of ${length} bytes runs past the end of its message`, tagStart);
    }
    return position + length;
  }

  #fail(message: string, byteOffset: number): never {
    throw new OnnxError({
      code: 'ONNX_DECODE_FAILED',
      message: `malformed protobuf: ${message}`,
      file: this.#file,
      byteOffset,
    });
  }
}
