import type { ByteSource } from '@reprokit/core';
import { OnnxError } from '../errors/onnx-error.js';
import { nodeLabel, qualifiedName, subgraphSegment } from '../graph/initializer-names.js';

/** One initializer as its TensorProto header describes it, without its data. */
export interface InitializerHeader {
  /** Qualified checkpoint name, as `readOnnxCheckpoint` names it. */
  readonly name: string;
  readonly dataType: number;
  /** As written; a negative int64 reads as a huge number, which later checks refuse. */
  readonly dims: readonly number[];
  /** `data_location` is EXTERNAL. */
  readonly external: boolean;
  /** The `location` entry of its external data, if any. */
  readonly location: string | undefined;
}

// Field numbers from onnx.proto (ONNX 1.20).
const MODEL_IR_VERSION = 1;
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
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const ENTRY_KEY = 1;
const ENTRY_VALUE = 2;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

// Field headers are read a little at a time: enough for a tag and a length, and the short
// fields that follow, without reading far into a tensor's data.
const WINDOW = 64;

const utf8 = new TextDecoder('utf-8', { fatal: false });

interface Field {
  readonly field: number;
  readonly wire: number;
  /** Content range of a LEN field; the varint's own bytes for a VARINT field. */
  readonly from: number;
  readonly to: number;
  readonly value: number;
}

/**
 * Every initializer's header (name, data type, dims, external location) of an encoded ONNX
 * model, main graph first then subgraphs in node order, read from a `ByteSource` by walking the
 * protobuf wire format: the bytes of `raw_data` and of the typed value fields are skipped, never
 * read, so listing a 2 GB model's weights reads a few kilobytes. Malformed wire data throws
 * `ONNX_DECODE_FAILED` with the byte offset.
 *
 * @example
 * const headers = await readInitializerHeaders(await fileSource('model.onnx'));
 * headers.map((header) => header.name); // ['fc.weight', 'fc.bias']
 */
export async function readInitializerHeaders(source: ByteSource): Promise<InitializerHeader[]> {
  const wire = new SourceWire(source);
  const results: InitializerHeader[] = [];
  let graph: Field | undefined;
  let irVersion = 0;
  for await (const field of wire.fields(0, source.size)) {
    if (field.field === MODEL_GRAPH && field.wire === WIRE_LEN) graph = field;
    else if (field.field === MODEL_IR_VERSION && field.wire === WIRE_VARINT)
      irVersion = field.value;
  }
  // As decodeOnnxModel: a model must at least have an IR version and a graph.
  if (irVersion <= 0 || graph === undefined) {
    throw new OnnxError({
      code: 'ONNX_NOT_A_MODEL',
      message: `bytes decode as protobuf but are not an ONNX model (${irVersion <= 0 ? 'no ir_version' : 'no graph'})`,
      file: source.name,
    });
  }
  await readGraph(wire, graph, [], results);
  return results;
}

async function readGraph(
  wire: SourceWire,
  graph: Field,
  path: readonly string[],
  results: InitializerHeader[],
): Promise<void> {
  const initializers: Field[] = [];
  const nodes: Field[] = [];
  for await (const field of wire.fields(graph.from, graph.to)) {
    if (field.wire !== WIRE_LEN) continue;
    if (field.field === GRAPH_INITIALIZER) initializers.push(field);
    else if (field.field === GRAPH_NODE) nodes.push(field);
  }
  for (const tensor of initializers) results.push(await readTensor(wire, tensor, path));
  for (const [index, node] of nodes.entries()) {
    let name = '';
    const attributes: Field[] = [];
    for await (const field of wire.fields(node.from, node.to)) {
      if (field.wire !== WIRE_LEN) continue;
      if (field.field === NODE_NAME) name = await wire.text(field);
      else if (field.field === NODE_ATTRIBUTE) attributes.push(field);
    }
    const label = nodeLabel(name, index);
    for (const attribute of attributes) {
      let attributeName = '';
      const graphs: Array<[Field, number | undefined]> = [];
      let listIndex = 0;
      for await (const field of wire.fields(attribute.from, attribute.to)) {
        if (field.wire !== WIRE_LEN) continue;
        if (field.field === ATTRIBUTE_NAME) attributeName = await wire.text(field);
        else if (field.field === ATTRIBUTE_G) graphs.push([field, undefined]);
        else if (field.field === ATTRIBUTE_GRAPHS) graphs.push([field, listIndex++]);
      }
      for (const [subgraph, position] of graphs) {
        const segment = subgraphSegment(label, attributeName, position);
        await readGraph(wire, subgraph, [...path, segment], results);
      }
    }
  }
}

async function readTensor(
  wire: SourceWire,
  tensor: Field,
  path: readonly string[],
): Promise<InitializerHeader> {
  let name = '';
  let dataType = 0;
  const dims: number[] = [];
  let external = false;
  let location: string | undefined;
  for await (const field of wire.fields(tensor.from, tensor.to)) {
    if (field.field === TENSOR_NAME && field.wire === WIRE_LEN) name = await wire.text(field);
    else if (field.field === TENSOR_DATA_TYPE && field.wire === WIRE_VARINT) dataType = field.value;
    else if (field.field === TENSOR_DATA_LOCATION && field.wire === WIRE_VARINT) {
      external = field.value === 1;
    } else if (field.field === TENSOR_DIMS && field.wire === WIRE_VARINT) dims.push(field.value);
    else if (field.field === TENSOR_DIMS && field.wire === WIRE_LEN) {
      // packed repeated int64
      let position = field.from;
      while (position < field.to) {
        const [dim, next] = await wire.varint(position, field.to);
        dims.push(dim);
        position = next;
      }
    } else if (field.field === TENSOR_EXTERNAL_DATA && field.wire === WIRE_LEN) {
      let key = '';
      let value = '';
      for await (const entry of wire.fields(field.from, field.to)) {
        if (entry.wire !== WIRE_LEN) continue;
        if (entry.field === ENTRY_KEY) key = await wire.text(entry);
        else if (entry.field === ENTRY_VALUE) value = await wire.text(entry);
      }
      if (key === 'location') location = value;
    }
  }
  return { name: qualifiedName(path, name), dataType, dims, external, location };
}

/** The protobuf wire format read from a `ByteSource` in small pieces. */
class SourceWire {
  readonly #source: ByteSource;
  #windowStart = 0;
  #window: Uint8Array = new Uint8Array(0);

  constructor(source: ByteSource) {
    this.#source = source;
  }

  async text(field: Field): Promise<string> {
    return utf8.decode(await this.#read(field.from, field.to - field.from));
  }

  /** The fields of the message in [start, end); LEN fields' contents are not read. */
  async *fields(start: number, end: number): AsyncGenerator<Field> {
    let position = start;
    while (position < end) {
      const tagStart = position;
      const [tag, afterTag] = await this.varint(position, end);
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 0) this.#fail('field number 0', tagStart);
      position = afterTag;
      switch (wire) {
        case WIRE_VARINT: {
          const [value, next] = await this.varint(position, end);
          yield { field, wire, from: position, to: next, value };
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
          const [length, from] = await this.varint(position, end);
          const to = this.#skip(from, length, end, tagStart);
          yield { field, wire, from, to, value: 0 };
          position = to;
          break;
        }
        default:
          this.#fail(`unsupported wire type ${wire} (groups are not used by ONNX)`, tagStart);
      }
    }
  }

  /** A varint as a number (see `scanRawData`), and the position after it. */
  async varint(position: number, end: number): Promise<[number, number]> {
    const bytes = await this.#around(position, Math.min(10, end - position));
    let result = 0;
    let scale = 1;
    for (let index = 0; index < bytes.length; index++) {
      const byte = bytes[index]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return [result, position + index + 1];
      scale *= 128;
    }
    return this.#fail('truncated or overlong varint', position);
  }

  /** `length` bytes at `position`, from the window when it holds them, else read with a small window after them. */
  async #around(position: number, length: number): Promise<Uint8Array> {
    const offset = position - this.#windowStart;
    if (offset >= 0 && offset + length <= this.#window.length) {
      return this.#window.subarray(offset, offset + length);
    }
    const size = Math.min(Math.max(length, WINDOW), this.#source.size - position);
    this.#window = await this.#read(position, size);
    this.#windowStart = position;
    return this.#window.subarray(0, length);
  }

  async #read(position: number, length: number): Promise<Uint8Array> {
    if (position < 0 || length < 0 || position + length > this.#source.size) {
      this.#fail(`a field runs past the end of the file (${this.#source.size} bytes)`, position);
    }
    return this.#source.read(position, length);
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
      file: this.#source.name,
      byteOffset,
    });
  }
}
