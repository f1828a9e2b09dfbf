import type { LayerContext } from './layer-context.js';
import { failFor } from './layer-context.js';
import { LAYER_CONVERTERS } from './layers/index.js';
import { OnnxExportError } from './onnx-export-error.js';
import type { OnnxGraphBuilder } from './onnx-graph-builder.js';
import {
  isContainer,
  type Shape,
  type TensorRef,
  type TfContainer,
  type TfLayer,
  type TfSymbolicTensor,
} from './tfjs-structure.js';
import type { WeightStore } from './weight-store.js';

/**
 * Walks a tfjs model's layer graph from its outputs back to its inputs (inbound nodes), so
 * functional models with several inputs and outputs, shared layers (one node per call) and
 * nested models (emitted inline, with their own input substitution) come out as one flat graph.
 */
export class GraphEmitter {
  constructor(
    private readonly graph: OnnxGraphBuilder,
    private readonly weights: WeightStore,
    private readonly paths: ReadonlyMap<TfLayer, string>,
  ) {}

  emitContainer(model: TfContainer, inputs: readonly TensorRef[]): TensorRef[] {
    const values = new Map<number, TensorRef>();
    model.inputs.forEach((tensor, i) => {
      values.set(tensor.id, inputs[i]!);
    });
    const calls = new Map<string, TensorRef[]>();
    const evaluate = (tensor: TfSymbolicTensor): TensorRef => {
      const known = values.get(tensor.id);
      if (known !== undefined) return known;
      const layer = tensor.sourceLayer;
      const node = layer.inboundNodes[tensor.nodeIndex];
      if (node === undefined || layer.getClassName() === 'InputLayer') {
        throw new OnnxExportError({
          code: 'ONNX_EXPORT_INVALID_MODEL',
          message: 'a tensor depends on an input that is not an input of its model',
          layer: this.paths.get(layer) ?? layer.name,
          className: layer.getClassName(),
        });
      }
      const key = `${layer.id}:${tensor.nodeIndex}`;
      let outputs = calls.get(key);
      if (outputs === undefined) {
        const layerInputs = node.inputTensors.map(evaluate);
        outputs = this.convert(
          layer,
          this.paths.get(layer) ?? layer.name,
          layerInputs,
          node.outputTensors.map((t) => t.shape),
        );
        calls.set(key, outputs);
      }
      const output = outputs[tensor.tensorIndex];
      if (output === undefined) {
        throw new OnnxExportError({
          code: 'ONNX_EXPORT_INVALID_MODEL',
          message: `output ${tensor.tensorIndex} was not produced`,
          layer: this.paths.get(layer) ?? layer.name,
          className: layer.getClassName(),
        });
      }
      values.set(tensor.id, output);
      return output;
    };
    return model.outputs.map(evaluate);
  }

  convert(
    layer: TfLayer,
    path: string,
    inputs: readonly TensorRef[],
    outputShapes: readonly Shape[],
  ): TensorRef[] {
    if (isContainer(layer)) return this.emitContainer(layer, inputs);
    const className = layer.getClassName();
    // Own keys only: a custom class named `toString` must not find Object.prototype's.
    const converter = Object.hasOwn(LAYER_CONVERTERS, className)
      ? LAYER_CONVERTERS[className]
      : undefined;
    if (converter === undefined) {
      failFor(
        layer,
        path,
        'ONNX_EXPORT_UNSUPPORTED_LAYER',
        `layer class ${className} is not supported by the ONNX exporter`,
      );
    }
    const variableOf = (shortName: string, owner: TfLayer) =>
      owner.weights.find(
        (v) => v.originalName === shortName || v.originalName.endsWith(`/${shortName}`),
      );
    const context: LayerContext = {
      graph: this.graph,
      layer,
      className,
      config: layer.getConfig(),
      path,
      inputs,
      outputShapes,
      weight: (shortName, layout = [], owner = layer) => {
        const variable = variableOf(shortName, owner);
        if (variable === undefined) {
          return failFor(layer, path, 'ONNX_EXPORT_MISSING_WEIGHT', `no weight "${shortName}"`);
        }
        return this.weights.resolve(variable, layout, path);
      },
      hasWeight: (shortName, owner = layer) => variableOf(shortName, owner) !== undefined,
      weightShape: (shortName, owner = layer) => {
        const variable = variableOf(shortName, owner);
        if (variable === undefined) {
          return failFor(layer, path, 'ONNX_EXPORT_MISSING_WEIGHT', `no weight "${shortName}"`);
        }
        return variable.shape;
      },
      convertInner: (inner, innerInputs, innerShapes) =>
        this.convert(inner, `${path}/${inner.getClassName()}`, innerInputs, innerShapes).map(
          (ref) => ref.name,
        ),
      fail: (code, message) => failFor(layer, path, code, message),
    };
    const names = converter(context);
    return names.map((name, i) => ({ name, shape: outputShapes[i] ?? [] }));
  }
}
