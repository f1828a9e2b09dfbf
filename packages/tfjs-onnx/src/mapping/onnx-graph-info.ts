import { fromBinary } from '@bufbuild/protobuf';
import { MappingError, type TensorSpec } from '@reprokit/core';
import { onnxDataTypeToDtype } from '@reprokit/onnxruntime';
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  type GraphProto,
  type ModelProto,
  ModelProtoSchema,
} from 'onnx-buf';

/** An ONNX attribute value, with ints as JS numbers. */
export type OnnxAttributeValue = number | string | readonly number[] | readonly string[];

/** One node of an ONNX graph, as far as weight mapping needs it. */
export interface OnnxNodeInfo {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, OnnxAttributeValue>;
}

/**
 * What a weight mapping needs to know about an ONNX graph: its nodes in (topological) file
 * order and the dtype and shape of each initializer. No tensor data.
 */
export interface OnnxGraphInfo {
  readonly nodes: readonly OnnxNodeInfo[];
  readonly initializers: ReadonlyMap<string, TensorSpec>;
}

/**
 * An ONNX model as bytes, a decoded `ModelProto` or `GraphProto` (onnx-buf), an `OnnxModel`
 * from `@reprokit/onnxruntime` (anything with a `proto`), or an already described graph.
 */
export type OnnxGraphSource =
  | Uint8Array
  | ModelProto
  | GraphProto
  | { readonly proto: ModelProto }
  | OnnxGraphInfo;

/**
 * Reads the node list and initializer specs of an ONNX model (see `OnnxGraphSource`). Initializer data is not touched, so a model whose
 * weights live in external data works too. Bytes that do not decode throw
 * `MAPPING_BAD_ONNX`.
 *
 * @example
 * const graph = describeOnnxGraph(await fs.readFile('model.onnx'));
 * graph.nodes.filter((node) => node.opType === 'Gemm').map((node) => node.attributes.get('transB'));
 */
export function describeOnnxGraph(model: OnnxGraphSource): OnnxGraphInfo {
  if (isGraphInfo(model)) return model;
  const graph =
    model instanceof Uint8Array
      ? decodeGraph(model)
      : 'proto' in model
        ? graphOf(model.proto)
        : graphOf(model);
  const initializers = new Map<string, TensorSpec>();
  for (const tensor of graph.initializer) {
    const dtype = onnxDataTypeToDtype(tensor.dataType);
    if (dtype === undefined) continue;
    initializers.set(tensor.name, { dtype, shape: tensor.dims.map(Number) });
  }
  const nodes = graph.node.map((node, index) => ({
    name: node.name === '' ? `${node.opType}_${index}` : node.name,
    opType: node.opType,
    inputs: node.input,
    outputs: node.output,
    attributes: new Map(
      node.attribute.map((attribute) => [attribute.name, attributeValue(attribute)]),
    ),
  }));
  return { nodes, initializers };
}

function isGraphInfo(value: object): value is OnnxGraphInfo {
  return 'nodes' in value && 'initializers' in value && value.initializers instanceof Map;
}

function graphOf(model: ModelProto | GraphProto): GraphProto {
  if (model.$typeName === 'onnx.GraphProto') return model;
  if (model.graph === undefined) {
    throw new MappingError({
      code: 'MAPPING_BAD_ONNX',
      origin: 'tfjs-onnx',
      message: 'the ONNX model has no graph',
    });
  }
  return model.graph;
}

function decodeGraph(bytes: Uint8Array): GraphProto {
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (cause) {
    throw new MappingError({
      code: 'MAPPING_BAD_ONNX',
      origin: 'tfjs-onnx',
      message: `the bytes are not an ONNX model: ${(cause as Error).message}`,
    });
  }
  return graphOf(model);
}

function attributeValue(attribute: AttributeProto): OnnxAttributeValue {
  const decoder = new TextDecoder();
  switch (attribute.type) {
    case AttributeProto_AttributeType.FLOAT:
      return attribute.f;
    case AttributeProto_AttributeType.INT:
      return Number(attribute.i);
    case AttributeProto_AttributeType.STRING:
      return decoder.decode(attribute.s);
    case AttributeProto_AttributeType.FLOATS:
      return attribute.floats;
    case AttributeProto_AttributeType.INTS:
      return attribute.ints.map(Number);
    case AttributeProto_AttributeType.STRINGS:
      return attribute.strings.map((value) => decoder.decode(value));
    default:
      return [];
  }
}

/** A numeric attribute, or `fallback` when the node does not set it. */
export function intAttribute(node: OnnxNodeInfo, name: string, fallback: number): number {
  const value = node.attributes.get(name);
  return typeof value === 'number' ? value : fallback;
}

/** A string attribute, or `fallback`. */
export function stringAttribute(node: OnnxNodeInfo, name: string, fallback: string): string {
  const value = node.attributes.get(name);
  return typeof value === 'string' ? value : fallback;
}

/** A list-of-strings attribute, or `undefined` when absent. */
export function stringsAttribute(node: OnnxNodeInfo, name: string): readonly string[] | undefined {
  const value = node.attributes.get(name);
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? (value as readonly string[])
    : undefined;
}
