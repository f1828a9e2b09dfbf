import { parseSafetensorsHeader, type SafetensorsHeader } from '@reprokit/core';
import { autoLayerBaseName, checkpointWeights } from '@reprokit/tfjs/internal';
import type { LayersModel } from '@tensorflow/tfjs';
import { GraphEmitter } from './graph-emitter.js';
import { structuralLayerPaths } from './layer-paths.js';
import { OnnxExportError } from './onnx-export-error.js';
import { ONNX_FLOAT, ONNX_INT32, type OnnxDim, OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { Shape, TensorRef, TfContainer, TfVariable } from './tfjs-structure.js';
import { type ExternalLocation, WeightStore, type WeightValue } from './weight-store.js';

/**
 * ONNX opsets the exporter can target, and the default.
 *
 * @example
 * await exportToOnnx(model, { opset: SUPPORTED_OPSETS.max });
 */
export const SUPPORTED_OPSETS = { min: 13, max: 21, default: 17 } as const;

export interface ExportToOnnxOptions {
  /** ONNX opset (default 17, from 13 to 21). */
  opset?: number;
  /**
   * `'shared'`: initializers are ONNX external data pointing into the safetensors file given as
   * `safetensors`, under the checkpoint's names; layout changes are graph nodes that ONNX
   * Runtime folds at load. `'embedded'`: converted weights are stored in the model, which then
   * needs no other file. Default: `'shared'` when `safetensors` is given, else `'embedded'`.
   */
  weights?: 'shared' | 'embedded';
  /** Location written in the external-data entries (shared mode). Default `model.safetensors`. */
  weightsFile?: string;
  /**
   * The exact bytes of the safetensors file the model will read (shared mode, required there):
   * the offsets are taken from this file's own header, and every weight in it must equal the
   * model's (name, dtype, shape and bytes), so the model can never point at other bytes. A file
   * saved by `safetensorsIO` (whose header also holds the topology) works as it is.
   */
  safetensors?: Uint8Array;
}

function dims(shape: Shape, prefix: string): OnnxDim[] {
  return shape.map((dim, i) => (dim === null ? (i === 0 ? 'N' : `${prefix}_dim${i}`) : dim));
}

function elemType(dtype: string, where: string): number {
  if (dtype === 'float32') return ONNX_FLOAT;
  if (dtype === 'int32') return ONNX_INT32;
  throw new OnnxExportError({
    code: 'ONNX_EXPORT_UNSUPPORTED_OPTION',
    message: `dtype ${dtype} of ${where} is not supported (float32 and int32 are)`,
  });
}

async function readWeights(
  model: LayersModel,
): Promise<{ names: Map<TfVariable, string>; values: Map<TfVariable, WeightValue> }> {
  const names = new Map<TfVariable, string>();
  const values = new Map<TfVariable, WeightValue>();
  for (const weight of checkpointWeights(model)) {
    const variable = weight.variable as unknown as TfVariable;
    const raw = await variable.read().data();
    const data = variable.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw);
    names.set(variable, weight.name);
    values.set(variable, { data, shape: [...variable.shape] });
  }
  return { names, values };
}

/**
 * Where each weight sits in the given safetensors file, from the file's own header, after
 * checking that the file holds exactly the model's weights there: a model pointing into a file
 * must not be produced without the bytes it points into (plain ONNX Runtime reads whatever is
 * at the offsets, with no check).
 */
function externalLocations(
  names: ReadonlyMap<TfVariable, string>,
  values: ReadonlyMap<TfVariable, WeightValue>,
  location: string,
  file: Uint8Array,
): Map<string, ExternalLocation> {
  let header: SafetensorsHeader;
  try {
    header = parseSafetensorsHeader(file);
  } catch (cause) {
    throw new OnnxExportError({
      code: 'ONNX_EXPORT_INVALID_OPTIONS',
      message: `the safetensors option is not a safetensors file: ${(cause as Error).message}`,
      cause,
    });
  }
  const result = new Map<string, ExternalLocation>();
  for (const [variable, name] of names) {
    const info = header.tensors.get(name);
    if (info === undefined) {
      throw new OnnxExportError({
        code: 'ONNX_EXPORT_MISSING_WEIGHT',
        message: `weight "${name}" is not in the shared weights file`,
        tensor: name,
      });
    }
    const value = values.get(variable)!;
    const dtype = value.data instanceof Int32Array ? 'I32' : 'F32';
    const offset = header.dataStart + info.begin;
    const bytes = new Uint8Array(value.data.buffer, value.data.byteOffset, value.data.byteLength);
    const sameSpec =
      info.dtype === dtype &&
      info.shape.length === value.shape.length &&
      info.shape.every((dim, i) => dim === value.shape[i]);
    if (!sameSpec || !sameBytes(file, offset, bytes)) {
      throw new OnnxExportError({
        code: 'ONNX_EXPORT_WEIGHTS_MISMATCH',
        message: sameSpec
          ? `the shared weights file holds other values for "${name}" than the model: pass the file saved from this model`
          : `the shared weights file holds "${name}" as ${info.dtype} [${info.shape.join(',')}], the model has ${dtype} [${value.shape.join(',')}]`,
        tensor: name,
      });
    }
    result.set(name, { location, offset, length: info.end - info.begin });
  }
  return result;
}

function sameBytes(file: Uint8Array, offset: number, bytes: Uint8Array): boolean {
  if (offset + bytes.length > file.length) return false;
  for (let i = 0; i < bytes.length; i++) if (file[offset + i] !== bytes[i]) return false;
  return true;
}

/**
 * Export a tfjs `LayersModel` (Sequential or functional: several inputs and outputs, shared
 * layers, nested models) as ONNX model bytes with a dynamic batch dimension `N`. Initializers
 * carry the model's structural checkpoint names (`dense/kernel`). By default the weights are
 * embedded; with `safetensors` (the bytes of the model's weights file) they are external data
 * pointing into that file, checked to hold exactly the model's weights. Layers or options that
 * cannot be exported exactly throw an `OnnxExportError` naming the layer.
 *
 * @example
 * const standalone = await exportToOnnx(model);
 * const session = await ort.InferenceSession.create(standalone);
 * const weights = encodeSafetensors(await tfjsCheckpoint(tf).read(model)); // saved as model.safetensors
 * const shared = await exportToOnnx(model, { safetensors: weights });
 */
export async function exportToOnnx(
  model: LayersModel,
  options: ExportToOnnxOptions = {},
): Promise<Uint8Array> {
  const opset = options.opset ?? SUPPORTED_OPSETS.default;
  if (!Number.isInteger(opset) || opset < SUPPORTED_OPSETS.min || opset > SUPPORTED_OPSETS.max) {
    throw new OnnxExportError({
      code: 'ONNX_EXPORT_INVALID_OPTIONS',
      message: `opset ${String(opset)} is not supported (${SUPPORTED_OPSETS.min} to ${SUPPORTED_OPSETS.max})`,
    });
  }
  const mode = options.weights ?? (options.safetensors === undefined ? 'embedded' : 'shared');
  if (mode !== 'shared' && mode !== 'embedded') {
    throw new OnnxExportError({
      code: 'ONNX_EXPORT_INVALID_OPTIONS',
      message: `weights must be 'shared' or 'embedded', got ${String(mode)}`,
    });
  }
  if (mode === 'shared' && options.safetensors === undefined) {
    throw new OnnxExportError({
      code: 'ONNX_EXPORT_INVALID_OPTIONS',
      message:
        "shared weights point into a safetensors file: pass that file's bytes as { safetensors } (the offsets are read from its header), or save the model and its weights together with writeCheckpoint(onnxStore(), checkpoint, path, { template, externalData: true })",
    });
  }
  if (
    mode === 'embedded' &&
    (options.weightsFile !== undefined || options.safetensors !== undefined)
  ) {
    throw new OnnxExportError({
      code: 'ONNX_EXPORT_INVALID_OPTIONS',
      message: 'weightsFile and safetensors apply to shared mode only',
    });
  }
  const container = model as unknown as TfContainer;
  const { names, values } = await readWeights(model);
  const external =
    mode === 'shared'
      ? externalLocations(
          names,
          values,
          options.weightsFile ?? 'model.safetensors',
          options.safetensors!,
        )
      : undefined;
  const graph = new OnnxGraphBuilder(opset);
  for (const name of names.values()) graph.reserve(name);
  const paths = structuralLayerPaths(container);
  const store = new WeightStore(graph, names, values, external);
  const inputs: TensorRef[] = container.inputs.map((tensor, i) => {
    const base =
      paths.get(tensor.sourceLayer) ?? (container.inputs.length === 1 ? 'input' : `input_${i}`);
    const name = graph.uniqueName(base);
    graph.addInput(name, elemType(tensor.dtype, `input ${name}`), dims(tensor.shape, name));
    return { name, shape: tensor.shape };
  });
  const outputs = new GraphEmitter(graph, store, paths).emitContainer(container, inputs);
  outputs.forEach((output, i) => {
    const tensor = container.outputs[i]!;
    const base = paths.get(tensor.sourceLayer) ?? `output_${i}`;
    const name = graph.namedIdentity(output.name, base);
    graph.addOutput(name, elemType(tensor.dtype, `output ${name}`), dims(tensor.shape, name));
  });
  // An auto-generated model name (`model3`) carries a process-global counter: drop it.
  const graphName = autoLayerBaseName(model.name, model.getClassName()) ?? model.name;
  return graph.toBytes(graphName, `exported by @reprokit/tfjs-onnx (${mode} weights)`);
}
