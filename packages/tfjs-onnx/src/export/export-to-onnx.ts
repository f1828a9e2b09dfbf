import {
  type CheckpointTensor,
  createCheckpoint,
  encodeSafetensors,
  parseSafetensorsHeader,
} from '@reprokit/core';
import { autoLayerBaseName, checkpointWeights } from '@reprokit/tfjs';
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
   * `'shared'` (default): initializers are ONNX external data pointing into the safetensors
   * file of the model's checkpoint, under the checkpoint's names; layout changes are graph
   * nodes that ONNX Runtime folds at load. `'embedded'`: converted weights are stored in
   * the model, which then needs no other file.
   */
  weights?: 'shared' | 'embedded';
  /** Location written in the external-data entries (shared mode). Default `model.safetensors`. */
  weightsFile?: string;
  /**
   * The safetensors file the model will read (shared mode), to take the tensor offsets from.
   * Default: the file `writeSafetensors(await tfjsCheckpoint().read(model))` writes.
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

function externalLocations(
  names: ReadonlyMap<TfVariable, string>,
  values: ReadonlyMap<TfVariable, WeightValue>,
  location: string,
  safetensors: Uint8Array | undefined,
): Map<string, ExternalLocation> {
  let bytes = safetensors;
  if (bytes === undefined) {
    const tensors: Array<[string, CheckpointTensor]> = [];
    for (const [variable, name] of names) {
      const value = values.get(variable)!;
      tensors.push([
        name,
        {
          dtype: value.data instanceof Int32Array ? 'I32' : 'F32',
          shape: value.shape,
          data: new Uint8Array(value.data.buffer, value.data.byteOffset, value.data.byteLength),
        },
      ]);
    }
    bytes = encodeSafetensors(createCheckpoint(tensors));
  }
  const header = parseSafetensorsHeader(bytes);
  const result = new Map<string, ExternalLocation>();
  for (const [name, info] of header.tensors) {
    result.set(name, {
      location,
      offset: header.dataStart + info.begin,
      length: info.end - info.begin,
    });
  }
  return result;
}

/**
 * Export a tfjs `LayersModel` (Sequential or functional: several inputs and outputs, shared
 * layers, nested models) as ONNX model bytes with a dynamic batch dimension `N`. Initializers
 * carry the model's structural checkpoint names (`dense/kernel`), so in the default shared mode
 * the safetensors file of `tfjsCheckpoint().read(model)` is the model's external data as it is.
 * Layers or options that cannot be exported exactly throw an `OnnxExportError` naming the layer.
 *
 * @example
 * const onnx = await exportToOnnx(model);                     // reads model.safetensors next to it
 * const standalone = await exportToOnnx(model, { weights: 'embedded' });
 * const session = await ort.InferenceSession.create(standalone);
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
  const mode = options.weights ?? 'shared';
  if (mode !== 'shared' && mode !== 'embedded') {
    throw new OnnxExportError({
      code: 'ONNX_EXPORT_INVALID_OPTIONS',
      message: `weights must be 'shared' or 'embedded', got ${String(mode)}`,
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
          options.safetensors,
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
