import { OnnxExportError } from './onnx-export-error.js';
import { ONNX_FLOAT, ONNX_INT32, type OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { TfVariable } from './tfjs-structure.js';
import { applyLayout, describeLayout, emitLayout, type LayoutStep } from './weight-layout.js';

/** Where a weight's bytes sit in the shared safetensors file (offsets from the file start). */
export interface ExternalLocation {
  readonly location: string;
  readonly offset: number;
  readonly length: number;
}

export interface WeightValue {
  readonly data: Float32Array | Int32Array;
  readonly shape: readonly number[];
}

/**
 * Hands out ONNX values for tfjs weights, once per weight and layout. Shared-file mode adds
 * an external-data initializer under the checkpoint name and emits layout changes as nodes;
 * embedded mode stores the converted bytes (named `<checkpoint name>#<layout>` when converted,
 * so the checkpoint name always means the tfjs layout).
 */
export class WeightStore {
  private readonly resolved = new Map<string, string>();

  constructor(
    private readonly graph: OnnxGraphBuilder,
    private readonly names: ReadonlyMap<TfVariable, string>,
    private readonly values: ReadonlyMap<TfVariable, WeightValue>,
    private readonly external: ReadonlyMap<string, ExternalLocation> | undefined,
  ) {}

  nameOf(variable: TfVariable): string {
    const name = this.names.get(variable);
    if (name === undefined) {
      throw new OnnxExportError({
        code: 'ONNX_EXPORT_MISSING_WEIGHT',
        message: `weight "${variable.originalName}" is not part of the model's checkpoint`,
        tensor: variable.originalName,
      });
    }
    return name;
  }

  resolve(variable: TfVariable, layout: readonly LayoutStep[], scope: string): string {
    const name = this.nameOf(variable);
    const label = describeLayout(layout);
    const key = `${name}#${label}`;
    const known = this.resolved.get(key);
    if (known !== undefined) return known;
    const value = this.values.get(variable)!;
    const dataType = value.data instanceof Int32Array ? ONNX_INT32 : ONNX_FLOAT;
    let result: string;
    if (this.external !== undefined && layout.length > 0) {
      const base = this.resolve(variable, [], scope);
      result = emitLayout(this.graph, base, value.shape, layout, scope);
    } else if (this.external !== undefined) {
      // exportToOnnx checked every weight against the file before the graph was built.
      const where = this.external.get(name)!;
      this.graph.reserve(name);
      this.graph.externalInitializer(
        name,
        dataType,
        value.shape,
        where.location,
        where.offset,
        where.length,
      );
      result = name;
    } else {
      const converted = applyLayout(value.data, value.shape, layout);
      result = layout.length === 0 ? name : `${name}#${label}`;
      this.graph.reserve(result);
      this.graph.rawInitializer(result, dataType, converted.data, converted.shape);
    }
    this.resolved.set(key, result);
    return result;
  }
}
