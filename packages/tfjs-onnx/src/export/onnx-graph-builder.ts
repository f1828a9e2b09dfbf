import { create, toBinary } from '@bufbuild/protobuf';
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from 'onnx-buf';

/** An ONNX node attribute, tagged with its ONNX type so that `1` (int) and `1.0` (float) stay apart. */
export type OnnxAttribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'strings'; readonly value: readonly string[] };

export const attr = {
  int: (value: number): OnnxAttribute => ({ type: 'int', value }),
  float: (value: number): OnnxAttribute => ({ type: 'float', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ type: 'ints', value }),
  floats: (value: readonly number[]): OnnxAttribute => ({ type: 'floats', value }),
  string: (value: string): OnnxAttribute => ({ type: 'string', value }),
  strings: (value: readonly string[]): OnnxAttribute => ({ type: 'strings', value }),
};

/** Attributes of one node, by ONNX attribute name. */
export type OnnxAttributes = Record<string, OnnxAttribute>;

/** A graph input or output dimension: a number, or a symbolic name such as `N`. */
export type OnnxDim = number | string;

export const ONNX_FLOAT = TensorProto_DataType.FLOAT;
export const ONNX_INT32 = TensorProto_DataType.INT32;
export const ONNX_INT64 = TensorProto_DataType.INT64;

const encoder = new TextEncoder();

function toAttributeProto(name: string, value: OnnxAttribute): AttributeProto {
  const proto = create(AttributeProtoSchema, { name });
  switch (value.type) {
    case 'int':
      proto.type = AttributeProto_AttributeType.INT;
      proto.i = BigInt(value.value);
      break;
    case 'float':
      proto.type = AttributeProto_AttributeType.FLOAT;
      proto.f = value.value;
      break;
    case 'ints':
      proto.type = AttributeProto_AttributeType.INTS;
      proto.ints = value.value.map((v) => BigInt(v));
      break;
    case 'floats':
      proto.type = AttributeProto_AttributeType.FLOATS;
      proto.floats = [...value.value];
      break;
    case 'string':
      proto.type = AttributeProto_AttributeType.STRING;
      proto.s = encoder.encode(value.value);
      break;
    case 'strings':
      proto.type = AttributeProto_AttributeType.STRINGS;
      proto.strings = value.value.map((v) => encoder.encode(v));
      break;
  }
  return proto;
}

function valueInfo(name: string, elemType: number, dims: readonly OnnxDim[]): ValueInfoProto {
  const shape = create(TensorShapeProtoSchema, {
    dim: dims.map((dim) =>
      create(TensorShapeProto_DimensionSchema, {
        value:
          typeof dim === 'number'
            ? { case: 'dimValue', value: BigInt(dim) }
            : { case: 'dimParam', value: dim },
      }),
    ),
  });
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType, shape }) },
    }),
  });
}

/**
 * Accumulates the nodes, initializers and signature of one ONNX graph. Names it hands out are
 * unique within the graph; constants with the same value are stored once.
 */
export class OnnxGraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, string>();

  constructor(readonly opset: number) {}

  /** A name not used yet in this graph, derived from `base`. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Reserve a name exactly (graph inputs, initializers carrying checkpoint names). */
  reserve(name: string): boolean {
    if (this.names.has(name)) return false;
    this.names.add(name);
    return true;
  }

  /** Add a node with `outputCount` outputs named after `scope`; returns the output names. */
  nodeN(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttribute>>,
    scope: string,
    outputCount: number,
  ): string[] {
    const name = this.uniqueName(`${scope}/${opType}`);
    const outputs = Array.from({ length: outputCount }, (_, i) =>
      outputCount === 1 ? name : this.uniqueName(`${name}:${i}`),
    );
    this.nodes.push(
      create(NodeProtoSchema, {
        name,
        opType,
        input: [...inputs],
        output: outputs,
        attribute: Object.entries(attributes).map(([key, value]) => toAttributeProto(key, value)),
      }),
    );
    return outputs;
  }

  /** Add a one-output node; returns its output name. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
    scope = 'graph',
  ): string {
    return this.nodeN(opType, inputs, attributes, scope, 1)[0]!;
  }

  /** An Identity node whose output has a chosen (readable) name, for graph outputs. */
  namedIdentity(input: string, outputName: string): string {
    const output = this.uniqueName(outputName);
    this.nodes.push(
      create(NodeProtoSchema, {
        name: this.uniqueName(`${output}/Identity`),
        opType: 'Identity',
        input: [input],
        output: [output],
      }),
    );
    return output;
  }

  /**
   * A constant int64 vector (shapes, axes, pads), stored once per value. Constants are
   * `Constant` nodes, not initializers, so that the initializers are exactly the weights.
   */
  int64s(values: readonly number[]): string {
    const key = `i64:${values.join(',')}`;
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const name = this.uniqueName(`const/int64[${values.join(',')}]`);
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    this.constantNode(
      name,
      create(TensorProtoSchema, {
        dataType: ONNX_INT64,
        dims: [BigInt(values.length)],
        rawData: new Uint8Array(data.buffer),
      }),
    );
    this.constants.set(key, name);
    return name;
  }

  /** A constant float32 tensor, stored once per value and shape. */
  floats(values: ArrayLike<number>, shape: readonly number[] = []): string {
    const data = Float32Array.from(values);
    const small = data.length <= 16;
    const key = small ? `f32:${shape.join('x')}:${Array.from(data).join(',')}` : undefined;
    const known = key === undefined ? undefined : this.constants.get(key);
    if (known !== undefined) return known;
    const name = this.uniqueName(
      small ? `const/float[${Array.from(data).join(',')}]` : 'const/float',
    );
    this.constantNode(name, this.tensor('', ONNX_FLOAT, data, shape));
    if (key !== undefined) this.constants.set(key, name);
    return name;
  }

  private constantNode(output: string, value: TensorProto): void {
    this.nodes.push(
      create(NodeProtoSchema, {
        name: this.uniqueName(`${output}/Constant`),
        opType: 'Constant',
        output: [output],
        attribute: [
          create(AttributeProtoSchema, {
            name: 'value',
            type: AttributeProto_AttributeType.TENSOR,
            t: value,
          }),
        ],
      }),
    );
  }

  floatTensor(name: string, data: Float32Array, shape: readonly number[]): TensorProto {
    return this.tensor(name, ONNX_FLOAT, data, shape);
  }

  /** Add an initializer holding `data` (float32 or int32 elements) in the model itself. */
  rawInitializer(
    name: string,
    dataType: number,
    data: Float32Array | Int32Array,
    shape: readonly number[],
  ): void {
    this.initializers.push(this.tensor(name, dataType, data, shape));
  }

  private tensor(
    name: string,
    dataType: number,
    data: Float32Array | Int32Array,
    shape: readonly number[],
  ): TensorProto {
    return create(TensorProtoSchema, {
      name,
      dataType,
      dims: shape.map((d) => BigInt(d)),
      rawData: new Uint8Array(
        data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
      ),
    });
  }

  /** An initializer whose bytes live in another file (ONNX external data). */
  externalInitializer(
    name: string,
    dataType: number,
    shape: readonly number[],
    location: string,
    offset: number,
    length: number,
  ): void {
    this.initializers.push(
      create(TensorProtoSchema, {
        name,
        dataType,
        dims: shape.map((d) => BigInt(d)),
        dataLocation: 1, // EXTERNAL
        externalData: [
          create(StringStringEntryProtoSchema, { key: 'location', value: location }),
          create(StringStringEntryProtoSchema, { key: 'offset', value: String(offset) }),
          create(StringStringEntryProtoSchema, { key: 'length', value: String(length) }),
        ],
      }),
    );
  }

  /** ReduceMean/ReduceMax/...: `axes` moved from an attribute to an input in opset 18. */
  reduce(opType: string, input: string, axes: readonly number[], keepdims: boolean, scope: string) {
    const keep = attr.int(keepdims ? 1 : 0);
    if (this.opset >= 18 || opType === 'ReduceSum') {
      return this.node(opType, [input, this.int64s(axes)], { keepdims: keep }, scope);
    }
    return this.node(opType, [input], { axes: attr.ints(axes), keepdims: keep }, scope);
  }

  addInput(name: string, elemType: number, dims: readonly OnnxDim[]): void {
    this.inputs.push(valueInfo(name, elemType, dims));
  }

  addOutput(name: string, elemType: number, dims: readonly OnnxDim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** Serialise as an ONNX ModelProto. */
  toBytes(graphName: string, docString: string): Uint8Array {
    const graph = create(GraphProtoSchema, {
      name: graphName,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    });
    const model = create(ModelProtoSchema, {
      // IR 8 covers opsets up to 17, IR 9 up to 19, IR 10 up to 21.
      irVersion: this.opset <= 17 ? 8n : this.opset <= 19 ? 9n : 10n,
      producerName: '@reprokit/tfjs-onnx',
      producerVersion: '0',
      docString,
      graph,
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(this.opset) })],
    });
    return toBinary(ModelProtoSchema, model);
  }
}
